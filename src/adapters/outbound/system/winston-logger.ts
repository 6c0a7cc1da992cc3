import winston from 'winston';
import type { Logger } from '../../../ports/logger.port.js';

const LEVELS = winston.config.npm.levels;

/** Error objects serialise to `{}`; keep what an operator needs. Cycles or BigInts must not crash logging. */
function metaJson(meta: Record<string, unknown>): string {
  try {
    return JSON.stringify(meta, (_k, v: unknown) =>
      v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : typeof v === 'bigint' ? String(v) : v,
    );
  } catch {
    return '{"meta":"[unserializable]"}';
  }
}

// One entry per line: a newline inside a message (Dokku output, a client's argument) cannot forge extra entries.
const oneLine = (s: string): string => s.replace(/\r/g, '\\r').replace(/\n/g, '\\n');

const lineFormat = winston.format.printf((info) => {
  const { level, message, timestamp, meta, ...rest } = info as Record<string, unknown>;
  const extra = { ...rest, ...(typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {}) };
  const tail = Object.keys(extra).length ? ` ${metaJson(extra)}` : '';
  return `${String(timestamp)} ${String(level).padEnd(5)} ${oneLine(String(message))}${tail}`;
});

/**
 * A winston logger that writes `2026-11-26T21:00:00.000Z info  message {json meta}` lines to `stream`,
 * stderr by default. Never stdout: in stdio mode stdout carries the MCP protocol, and winston's Console
 * transport writes there for every level not listed in `stderrLevels`, so a Stream transport is used instead.
 */
export function createWinstonLogger(level: string, stream: NodeJS.WritableStream = process.stderr): winston.Logger {
  if (!Object.prototype.hasOwnProperty.call(LEVELS, level)) {
    throw new Error(`unknown log level "${level}"; use one of ${Object.keys(LEVELS).join(', ')}`);
  }
  const transport = new winston.transports.Stream({ stream, eol: '\n' });
  // A stream that failed once (EPIPE: the client closed our stderr) is dead for good. Writing on would fail again,
  // and without a listener each failure is an uncaught exception whose handler logs, which fails again: a loop that
  // pegs a CPU and grows memory without end. So the first error silences this transport; nothing is logged about it
  // (there is nowhere left to log to) and whoever owns the process decides what a dead stderr means.
  const silence = (): void => {
    transport.silent = true;
  };
  stream.on('error', silence);
  stream.on('close', silence);
  return winston.createLogger({
    level,
    levels: LEVELS,
    format: winston.format.combine(winston.format.timestamp(), lineFormat),
    transports: [transport],
    exitOnError: false,
  });
}

type Redact = (s: string) => string;

/** Applies `redact` to every string inside meta (nested objects, arrays, error messages and stacks). */
function redactDeep(value: unknown, redact: Redact, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message), ...(value.stack ? { stack: redact(value.stack) } : {}) };
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, seen));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact, seen)]));
}

/** The Logger port over winston. `redact` (the sanitizer) runs before anything is logged: secrets never reach logs. */
export class WinstonLogger implements Logger {
  constructor(
    private readonly logger: winston.Logger,
    private readonly redact: Redact = (s) => s,
  ) {}

  debug(msg: string, meta?: Record<string, unknown>): void {
    this.write('debug', msg, meta);
  }

  info(msg: string, meta?: Record<string, unknown>): void {
    this.write('info', msg, meta);
  }

  warn(msg: string, meta?: Record<string, unknown>): void {
    this.write('warn', msg, meta);
  }

  error(msg: string, meta?: Record<string, unknown>): void {
    this.write('error', msg, meta);
  }

  private write(level: 'debug' | 'info' | 'warn' | 'error', msg: string, meta?: Record<string, unknown>): void {
    if (!this.logger.isLevelEnabled(level)) return; // skip redaction work for filtered entries
    // Meta travels under one key so a meta field named "message" or "level" cannot alter the entry.
    const entry: winston.LogEntry = { level, message: this.redact(msg) };
    if (meta && Object.keys(meta).length) entry.meta = redactDeep(meta, this.redact, new WeakSet());
    this.logger.log(entry);
  }
}
