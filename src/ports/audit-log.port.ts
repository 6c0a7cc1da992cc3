import type { CallerTransport } from '../domain/caller.js';

/** How a call ended, for the audit: done, failed, or refused (scope, tenant, read-only mode, rate limit). */
export type AuditOutcome = 'ok' | 'error' | 'denied';

/** One call of a tool with side effects. Arguments are already sanitized (config values masked); never a token. */
export interface AuditEntry {
  /** ISO 8601. */
  readonly time: string;
  readonly transport: CallerTransport;
  readonly session_id: string;
  readonly token_id: string | null;
  readonly tenant: string | null;
  readonly tool: string;
  readonly arguments: Record<string, unknown>;
  readonly outcome: AuditOutcome;
  /** The domain error's code (e.g. APP_NOT_FOUND, ACCESS_DENIED); null when ok; INTERNAL for our own failures. */
  readonly error_code: string | null;
  /** The deployment the call started or acted on, if any. */
  readonly deployment_id: string | null;
  readonly duration_ms: number;
}

/** The trail of who changed what: one JSON line per entry, appended. */
export const AuditLog = Symbol('AuditLog');
export interface AuditLog {
  /** Writes the entry. Never throws: a failing audit destination is reported to the operator's log instead. */
  record(entry: AuditEntry): void;
  /** Releases the destination (the file descriptor) at shutdown; later entries are dropped. Idempotent. */
  close(): void;
}
