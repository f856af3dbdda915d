import { type Level, type Logger, pino } from 'pino';
import type { LogFormat, LogLevel } from '#platform';

/** Where log lines go: stdout, or a test's collector. A terminal (`isTTY`) gets pretty lines unless LOG_FORMAT says otherwise. */
export interface LogDestination {
  readonly isTTY?: boolean;
  write(line: string): unknown;
}

/** LOG_LEVEL keeps Nest's names; pino calls them this. */
const PINO_LEVELS: Readonly<Record<LogLevel, Level>> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** Request headers that carry credentials or a signature made with a channel's secret. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-hub-signature-256'];
/** Field names under which secrets travel in this service's configs and payloads. */
const SECRET_FIELDS = ['token', 'accessToken', 'pageAccessToken', 'appSecret', 'verifyToken', 'secret', 'apiKey', 'password'];

/**
 * A safety net, not the rule: nothing logs headers, bodies or configs on purpose. Should an object
 * that holds one reach a log call (an HTTP client's error, say), these values are censored.
 */
const REDACTED_PATHS: readonly string[] = [
  ...SECRET_HEADERS.flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
];

/** How pino-pretty is loaded: its factory of line prettifiers. */
export type LoadPrettifier = () => Promise<(options: object) => (line: string) => string>;

/** pino-pretty is a development dependency: a production install (`npm ci --omit=dev`) has none. */
const importPinoPretty: LoadPrettifier = async () => (await import('pino-pretty')).default.prettyFactory;

const isModuleMissing = (error: unknown): boolean =>
  ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes(String((error as { code?: unknown }).code));

const prettyLines = async (destination: LogDestination, loadPrettifier: LoadPrettifier): Promise<LogDestination | undefined> => {
  try {
    const prettify = (await loadPrettifier())({
      colorize: destination.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    });
    return { write: (line: string) => destination.write(prettify(line)) };
  } catch (error) {
    if (isModuleMissing(error)) return undefined;
    throw error;
  }
};

export interface ServerLoggerSettings {
  logLevel: LogLevel;
  logFormat?: LogFormat;
  /** Undefined: stdout. */
  logDestination?: LogDestination;
}

/**
 * The one pino logger of a server: Fastify logs its requests through it and Nest its messages
 * (nest-logger.ts). JSON, one object a line, unless the lines go to a terminal or LOG_FORMAT=pretty
 * asks for pino-pretty; without pino-pretty installed they stay JSON, which a forced format says in
 * its first line.
 */
export const createServerLogger = async (
  { logLevel, logFormat, logDestination = process.stdout }: ServerLoggerSettings,
  loadPrettifier: LoadPrettifier = importPinoPretty,
): Promise<Logger> => {
  const wantsPretty = logFormat === 'pretty' || (logFormat === undefined && logDestination.isTTY === true);
  const pretty = wantsPretty ? await prettyLines(logDestination, loadPrettifier) : undefined;
  const logger = pino(
    {
      level: PINO_LEVELS[logLevel],
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: [...REDACTED_PATHS],
      serializers: {
        // Fastify's own would log the URL, query string included (Meta's hub.verify_token, say).
        req: (request: { method?: string; routeOptions?: { url?: string } }) => ({
          method: request.method,
          route: request.routeOptions?.url ?? null,
        }),
      },
    },
    // Written through process.stdout.write (not a file descriptor of its own), so lines stay in order with other output.
    pretty ?? logDestination,
  );
  if (wantsPretty && pretty === undefined && logFormat === 'pretty') {
    logger.warn('LOG_FORMAT=pretty needs pino-pretty, a development dependency that is not installed: logging JSON');
  }
  return logger;
};
