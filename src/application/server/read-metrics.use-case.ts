import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied } from '../../domain/domain-errors.js';
import { Metrics, type MetricsExposition } from '../../ports/metrics.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type ReadMetricsError = AccessDenied;

/** The Prometheus exposition of the server's metrics (GET /metrics): host-wide, so the admin scope's. */
@injectable()
export class ReadMetrics {
  constructor(
    @inject(Metrics) private readonly metrics: Metrics,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  execute(caller: Caller): Promise<MetricsExposition> {
    // Every tenant's calls, sessions and deployments are counted there: not one tenant's business.
    this.access.require(caller, 'admin', 'GET /metrics');
    return this.metrics.exposition();
  }
}
