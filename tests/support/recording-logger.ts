import type { Logger } from '../../src/ports/logger.port.js';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly meta?: Record<string, unknown>;
}

/** A Logger that keeps what it was told, so tests can read it; writes nothing anywhere. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  debug(msg: string, meta?: Record<string, unknown>): void {
    this.entries.push({ level: 'debug', msg, meta });
  }
  info(msg: string, meta?: Record<string, unknown>): void {
    this.entries.push({ level: 'info', msg, meta });
  }
  warn(msg: string, meta?: Record<string, unknown>): void {
    this.entries.push({ level: 'warn', msg, meta });
  }
  error(msg: string, meta?: Record<string, unknown>): void {
    this.entries.push({ level: 'error', msg, meta });
  }
}
