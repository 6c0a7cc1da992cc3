import { inject, injectable } from 'inversify';
import type { Deployment } from '../../domain/deployment.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { Logger } from '../../ports/logger.port.js';
import { DeploymentRunner } from '../deployments/deployment-runner.js';
import { ServerLifecycle, type ShutdownReport } from './server-lifecycle.js';

export interface DrainInput {
  readonly why: string;
  readonly graceMs: number;
  /** Resolves to stop waiting early (a second signal). */
  readonly hurry?: Promise<void>;
}

/**
 * The application's part of a graceful shutdown: stop taking new work, give running deployments up to `graceMs` to
 * finish, then settle each one still running (closing its channel kills it at its next write, so its outcome is
 * unknown here) and tell every session and stream, last. Never throws.
 */
@injectable()
export class DrainDeployments {
  constructor(
    @inject(ServerLifecycle) private readonly lifecycle: ServerLifecycle,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async execute({ why, graceMs, hurry }: DrainInput): Promise<ShutdownReport> {
    const running = this.runner.runningHere(); // this instance's own: another instance settles its own
    const summary = (list: readonly Deployment[]) => list.map((d) => ({ id: d.id, app: d.app.value }));
    this.lifecycle.begin({ why, graceMs, running: summary(running) });
    if (running.length > 0) {
      this.logger.info('waiting for running deployments before shutting down', { count: running.length, grace_ms: graceMs });
      await this.settled(running, graceMs, hurry);
    }
    const unfinished = running.filter((d) => d.isActive);
    const fromHost = await Promise.all(unfinished.map((deployment) => this.runner.settleAtShutdown(deployment, why)));
    const report: ShutdownReport = {
      why,
      unfinished: unfinished.map((d, i) => ({ id: d.id, app: d.app.value, outcome: fromHost[i] && !d.isActive ? (d.status as 'succeeded' | 'failed' | 'canceled') : 'unknown' })),
    };
    await this.lifecycle.end(report);
    return report;
  }

  /** Until every one of them has ended, the grace is over, or `hurry` resolves. */
  private async settled(deployments: readonly Deployment[], graceMs: number, hurry?: Promise<void>): Promise<void> {
    const stops: Array<() => void> = [];
    let over = false; // a watch that starts after the wait is over is stopped at once
    let timer: NodeJS.Timeout | undefined;
    const allEnded = Promise.all(
      deployments.map((d) => new Promise<void>((resolve) => {
        if (!d.isActive) return resolve();
        void this.store.watch(d.id, (changed) => !changed.isActive && resolve()).then(
          (stop) => (over ? stop() : stops.push(stop)),
          () => undefined,
        );
        if (!d.isActive) resolve(); // ended between the check and the watch
      })),
    );
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([allEnded, grace, ...(hurry ? [hurry] : [])]);
    clearTimeout(timer);
    over = true;
    for (const stop of stops) stop();
  }
}
