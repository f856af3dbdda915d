import { availableParallelism } from 'node:os';

// Jest runs the TypeScript sources as native ES modules (Nest 12 ships ESM only),
// transpiled by swc with legacy decorators and their metadata, as tsc emits them.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

export default {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': swc,
    // @fastify/static (CommonJS) requires content-disposition, an ES module; Jest cannot
    // require an ES module on Node 20, so that one package is compiled to CommonJS for tests.
    'node_modules/content-disposition/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: {
    '^#(domain|eventstore|readmodel|engine|api-commands|channels|backoff|bounded-map|platform)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
  // Most suites wait on servers, fsyncs and a browser rather than compute: two workers halve the
  // suite's time on a two-core machine, where Jest's default (cores − 1) would run one.
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
