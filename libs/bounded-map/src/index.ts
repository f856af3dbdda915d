export * from './bounded-map.js';
