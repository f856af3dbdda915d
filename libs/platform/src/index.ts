export * from './audit/audit-log.reader.js';
export * from './auth/jwt.js';
export * from './config/app-config.js';
export * from './config/auth-secret.js';
export * from './config/generated-secret.js';
export * from './storage/projections.catalog.js';
export * from './storage/running-servers.js';
export * from './storage/storage.js';
