import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AuditEntry, AuditLog } from '../../../ports/audit-log.port.js';
import type { Logger } from '../../../ports/logger.port.js';

/**
 * audit.file: one JSON line per entry, appended. The file is opened once at start-up (an unusable path stops start-up
 * with its reason) in append mode, and each line goes out in one write(2): with O_APPEND a line is never interleaved
 * with another writer's, and it is in the file when record() returns (so an operator's `tail -f` sees it at once).
 */
export class FileAuditLog implements AuditLog {
  private fd: number | undefined;

  constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {
    try {
      this.fd = openSync(resolve(path), 'a', 0o600);
    } catch (error) {
      throw new Error(`audit.file ${resolve(path)} cannot be opened for appending (${(error as NodeJS.ErrnoException).code ?? String(error)}); fix the path or its permissions, or unset audit.file to audit to stderr.`);
    }
  }

  record(entry: AuditEntry): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    } catch (error) {
      this.logger.error('could not write to the audit file', { path: this.path, tool: entry.tool, error });
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch (error) {
      this.logger.warn('could not close the audit file', { path: this.path, error });
    }
  }
}
