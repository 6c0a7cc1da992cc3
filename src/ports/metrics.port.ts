import type { CallerTransport } from '../domain/caller.js';
import type { AuditOutcome } from './audit-log.port.js';

/** The text a Prometheus scrape gets, and its content type. */
export interface MetricsExposition {
  readonly contentType: string;
  readonly text: string;
}

/**
 * What the server counts for operators (Prometheus). Gauges of state held elsewhere (SSH channels, deployments) are
 * read when scraped; the rest is reported here as it happens.
 */
export const Metrics = Symbol('Metrics');
export interface Metrics {
  /** A tools/call ended (every tool, read ones too). */
  toolCall(tool: string, outcome: AuditOutcome, durationMs: number): void;
  sessionOpened(transport: CallerTransport): void;
  sessionClosed(transport: CallerTransport): void;
  /** A request was refused by the rate limit. */
  rateLimited(): void;
  /** The current values of every metric, in the Prometheus text format. */
  exposition(): Promise<MetricsExposition>;
}
