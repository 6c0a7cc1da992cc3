import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CallerTransport } from '../../../domain/caller.js';
import type { DeploymentStatus } from '../../../domain/deployment.js';
import type { AuditOutcome } from '../../../ports/audit-log.port.js';
import type { Metrics, MetricsExposition } from '../../../ports/metrics.port.js';

/** State read at scrape time from where it lives. */
export interface MetricsSources {
  /** The statuses of the deployments kept (running and recently finished); rejects when the state store does not answer. */
  readonly deploymentStatuses: () => Promise<readonly DeploymentStatus[]>;
  /** Channels open and waiting on the SSH connection; null on the sandbox (no SSH). */
  readonly sshChannels: () => { readonly inUse: number; readonly queued: number } | null;
}

const STATUSES: readonly DeploymentStatus[] = ['pending', 'running', 'succeeded', 'failed', 'canceled'];
const TRANSPORTS: readonly CallerTransport[] = ['stdio', 'http', 'sse', 'log-stream'];

/**
 * The Metrics port over prom-client, in a registry of its own (not prom-client's global one: two containers in one
 * process, as in tests, must not share counters), with Node's default process metrics.
 */
export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'tool' | 'outcome'>;
  private readonly durations: Histogram<'tool'>;
  private readonly sessions: Gauge<'transport'>;
  private readonly limited: Counter;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.calls = new Counter({ name: 'dokku_mcp_tool_calls_total', help: 'Tool calls by tool and outcome (ok, error, denied)', labelNames: ['tool', 'outcome'], registers });
    this.durations = new Histogram({
      name: 'dokku_mcp_tool_call_duration_seconds',
      help: 'Time from a tool call to its answer',
      labelNames: ['tool'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.sessions = new Gauge({ name: 'dokku_mcp_sessions', help: 'Open MCP sessions by transport', labelNames: ['transport'], registers });
    for (const transport of TRANSPORTS) this.sessions.set({ transport }, 0);
    this.limited = new Counter({ name: 'dokku_mcp_rate_limited_total', help: 'Requests refused by the rate limit (auth.rate_limit)', registers });
    new Gauge({
      name: 'dokku_mcp_deployments',
      help: 'Deployments kept (in memory, or in Redis for the whole cluster), by status',
      labelNames: ['status'],
      registers,
      async collect() {
        // A state store that does not answer leaves the last counts in place rather than failing the whole scrape.
        const statuses = await sources.deploymentStatuses().catch(() => undefined);
        if (!statuses) return;
        const counts = new Map<DeploymentStatus, number>(STATUSES.map((s) => [s, 0]));
        for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
        for (const [status, count] of counts) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'dokku_mcp_ssh_channels_in_use',
      help: 'SSH channels open on the connection to the Dokku host',
      registers,
      collect() {
        this.set(sources.sshChannels()?.inUse ?? 0);
      },
    });
    new Gauge({
      name: 'dokku_mcp_ssh_channels_queued',
      help: 'Commands waiting for a free SSH channel',
      registers,
      collect() {
        this.set(sources.sshChannels()?.queued ?? 0);
      },
    });
  }

  toolCall(tool: string, outcome: AuditOutcome, durationMs: number): void {
    this.calls.inc({ tool, outcome });
    this.durations.observe({ tool }, durationMs / 1000);
  }

  sessionOpened(transport: CallerTransport): void {
    this.sessions.inc({ transport });
  }

  sessionClosed(transport: CallerTransport): void {
    this.sessions.dec({ transport });
  }

  rateLimited(): void {
    this.limited.inc();
  }

  async exposition(): Promise<MetricsExposition> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
