import { describe, expect, it } from '@jest/globals';
import type { LogLevel } from '#platform';
import { NestPinoLogger } from './nest-logger.js';
import { createServerLogger } from './server-logger.js';

const nestLoggerAt = async (logLevel: LogLevel) => {
  const lines: string[] = [];
  const logger = await createServerLogger({ logLevel, logDestination: { write: (line: string) => lines.push(line) } });
  return { nest: new NestPinoLogger(logger), entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
};

describe("Nest's logger over pino", () => {
  it("writes each of Nest's levels as pino's, with the context Nest passes last", async () => {
    const { nest, entries } = await nestLoggerAt('verbose');
    nest.log('Serving http://localhost:3000', 'Workflows');
    nest.warn('Reading live cards failed; retrying in 100 ms', 'LiveCards');
    nest.debug('caught up', 'Projections');
    nest.verbose('batch of 50', 'Projections');
    nest.fatal('cannot go on', 'Workflows');
    nest.log('no context');
    expect(entries()).toMatchObject([
      { level: 'info', context: 'Workflows', msg: 'Serving http://localhost:3000' },
      { level: 'warn', context: 'LiveCards', msg: 'Reading live cards failed; retrying in 100 ms' },
      { level: 'debug', context: 'Projections', msg: 'caught up' },
      { level: 'trace', context: 'Projections', msg: 'batch of 50' },
      { level: 'fatal', context: 'Workflows', msg: 'cannot go on' },
      { level: 'info', msg: 'no context' },
    ]);
    expect(entries()[5]).not.toHaveProperty('context');
  });

  it('keeps the stack Nest passes with an error, and an Error given as the message', async () => {
    const { nest, entries } = await nestLoggerAt('log');
    nest.error('The session engine did not start', 'Error: boom\n    at start (engine.ts:1:1)', 'SessionEngine');
    nest.error('Gave up reacting', undefined, 'SessionEngine');
    nest.error(new Error('store unreachable'), undefined, 'ExceptionHandler');
    expect(entries()).toMatchObject([
      {
        level: 'error',
        context: 'SessionEngine',
        stack: 'Error: boom\n    at start (engine.ts:1:1)',
        msg: 'The session engine did not start',
      },
      { level: 'error', context: 'SessionEngine', msg: 'Gave up reacting' },
      { level: 'error', context: 'ExceptionHandler', err: { type: 'Error', message: 'store unreachable' }, msg: 'store unreachable' },
    ]);
    expect(entries()[1]).not.toHaveProperty('stack');
  });

  it("writes Nest's start-up lines (modules, controllers, routes) at debug, not info", async () => {
    const startUp = (nest: NestPinoLogger) => {
      nest.log('AppModule dependencies initialized', 'InstanceLoader');
      nest.log('WorkflowsController {/workflows}:', 'RoutesResolver');
      nest.log('Mapped {/workflows, POST} route', 'RouterExplorer');
      nest.log('Nest application successfully started', 'NestApplication');
    };
    const atInfo = await nestLoggerAt('log');
    startUp(atInfo.nest);
    expect(atInfo.entries()).toMatchObject([{ level: 'info', context: 'NestApplication' }]);
    const atDebug = await nestLoggerAt('debug');
    startUp(atDebug.nest);
    expect(atDebug.entries().map((entry) => [entry.level, entry.context])).toEqual([
      ['debug', 'InstanceLoader'],
      ['debug', 'RoutesResolver'],
      ['debug', 'RouterExplorer'],
      ['info', 'NestApplication'],
    ]);
  });

  it('keeps a value that is not text under value, and further arguments under details', async () => {
    const { nest, entries } = await nestLoggerAt('log');
    nest.log({ caughtUp: true }, 'Projections');
    nest.warn('two parts', { part: 2 }, 'Projections');
    expect(entries()).toMatchObject([
      { level: 'info', context: 'Projections', value: { caughtUp: true } },
      { level: 'warn', context: 'Projections', msg: 'two parts', details: [{ part: 2 }] },
    ]);
  });
});
