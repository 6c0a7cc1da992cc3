import winston from 'winston';
import type { AuditEntry, AuditLog } from '../../../ports/audit-log.port.js';

/**
 * The audit trail on stderr (no audit.file configured): through its own winston logger, at every log level (an audit
 * line is not a diagnostic that log.level may hide), one bare JSON object per line beside the diagnostic lines.
 */
export class WinstonAuditLog implements AuditLog {
  private readonly logger: winston.Logger;

  constructor(stream: NodeJS.WritableStream = process.stderr) {
    const transport = new winston.transports.Stream({ stream, eol: '\n' });
    const silence = (): void => {
      transport.silent = true; // a dead stderr stays dead; see createWinstonLogger
    };
    stream.on('error', silence);
    stream.on('close', silence);
    this.logger = winston.createLogger({
      level: 'info',
      format: winston.format.printf((info) => JSON.stringify(info.entry)),
      transports: [transport],
      exitOnError: false,
    });
  }

  record(entry: AuditEntry): void {
    this.logger.info({ message: 'audit', entry });
  }

  close(): void {
    // stderr is the process's, not ours to close.
  }
}
