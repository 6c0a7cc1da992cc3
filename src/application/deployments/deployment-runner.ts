import { inject, injectable } from 'inversify';
import { BuildLog } from '../../domain/build-log.js';
import { Deployment, type DeploymentKind, type DeploymentSource } from '../../domain/deployment.js';
import { AppNotFound, DeploymentAlreadyRunning, isDomainError, NotDeployed, ServerShuttingDown } from '../../domain/domain-errors.js';
import { Clock } from '../../ports/clock.port.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { DokkuDeploys, type DeployOperation, type DeployOutcome } from '../../ports/dokku-deploys.port.js';
import { IdGenerator } from '../../ports/id-generator.port.js';
import { Limits } from '../../ports/settings.port.js';
import { Logger } from '../../ports/logger.port.js';
import { AppSecrets } from '../config/app-secrets.js';
import { DeploymentChecks } from './deployment-checks.js';
import { findLine, lastFailureLine } from './deployment-lines.js';
import { HostBuildLink } from './host-build-link.js';
import { ServerLifecycle } from '../server/server-lifecycle.js';

export interface StartDeployment {
  readonly operation: DeployOperation;
  readonly kind: DeploymentKind;
  readonly source?: DeploymentSource;
  /** Values known to be secret for this run (e.g. config values being set): redacted wherever they appear. */
  readonly secrets?: readonly string[];
  /** Config keys being set: Dokku echoes "KEY:  value" for each, redacted however short the value. */
  readonly secretKeys?: readonly string[];
  /** Refuse with NotDeployed unless the app has been deployed (restart, start and rebuild need a build to reuse). */
  readonly requireDeployed?: boolean;
}

/**
 * Runs any build/redeploy operation as a tracked Deployment: one per app at a time, output captured line by line
 * (sanitized) as it arrives, outcome decided by Dokku's exit status and then by what runs (an exit 0 that leaves a
 * process down is a failure). Returns as soon as the operation has started and, on Dokku 0.38+, its build is linked
 * to the host's record (so its id is `<app>.<build id>`).
 */
@injectable()
export class DeploymentRunner {
  constructor(
    @inject(DokkuApps) private readonly apps: DokkuApps,
    @inject(DokkuDeploys) private readonly deploys: DokkuDeploys,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(Clock) private readonly clock: Clock,
    @inject(IdGenerator) private readonly ids: IdGenerator,
    @inject(Limits) private readonly limits: Limits,
    @inject(AppSecrets) private readonly appSecrets: AppSecrets,
    @inject(Logger) private readonly logger: Logger,
    @inject(HostBuildLink) private readonly hostLink: HostBuildLink,
    @inject(DeploymentChecks) private readonly checks: DeploymentChecks,
    @inject(ServerLifecycle) private readonly lifecycle: ServerLifecycle,
  ) {}

  async start(request: StartDeployment): Promise<Deployment> {
    const app = request.operation.app;
    this.refuseIfStopping();
    this.refuseIfRunning(app.value);
    // Checked up front so the caller gets APP_NOT_FOUND / NOT_DEPLOYED now, not as a failed deployment later.
    if (request.requireDeployed) {
      if (!(await this.apps.status(app)).deployed) throw new NotDeployed(app.value);
    } else if (!(await this.apps.exists(app))) {
      throw new AppNotFound(app.value);
    }
    // The app's existing config values are secrets in its build output too (never fails: pattern-only on error).
    const [sanitizer, snapshot] = await Promise.all([this.appSecrets.sanitizerFor(app), this.hostLink.prepare(app)]);
    this.refuseIfRunning(app.value); // again: another deploy may have started while we asked the host
    this.refuseIfStopping(); // and the server may have begun to stop

    // The log is redacted line by line and Dokku echoes a multi-line value over several lines: each line is a secret too.
    const secrets = (request.secrets ?? []).flatMap((secret) => [secret, ...secret.split(/\r?\n/)]);
    const withValues = secrets.length ? sanitizer.withSecrets(secrets) : sanitizer;
    const redactor = request.secretKeys?.length ? withValues.withSecretKeys(request.secretKeys) : withValues;
    const deployment = new Deployment({
      id: Deployment.newId(this.ids.sortableId()),
      app,
      kind: request.kind,
      source: request.source ?? { type: 'none' },
      createdAt: this.clock.now(),
      log: new BuildLog({ maxBytes: this.limits.buildLogMaxBytes, redact: redactor.lineByLine() }),
    });
    this.store.add(deployment); // before any await: a concurrent second deploy of this app now sees it

    let run;
    try {
      run = await this.deploys.start(request.operation, (chunk) => {
        if (deployment.log.append(chunk) > 0) this.store.changed(deployment);
      });
    } catch (error) {
      deployment.fail(this.clock.now(), isDomainError(error) ? error.message : 'the deploy could not be started');
      this.store.changed(deployment);
      throw error;
    }
    deployment.start(this.clock.now());
    this.store.changed(deployment);
    void run.outcome
      .then(
        (outcome) => this.settle(deployment, outcome),
        (error: unknown) => this.settle(deployment, { type: 'lost', reason: String(error) }),
      )
      .catch((error: unknown) => this.logger.error('could not settle a deployment', { deployment: deployment.id, error }));
    await this.hostLink.link(deployment, snapshot, run.outcome);
    return deployment;
  }

  /**
   * Settles a deployment still running when the server stops. Closing its channel kills it on the host at its next
   * write, so here its outcome is unknown. Hook: once the host's build record is read (builds:list, issue 13), settle
   * it from what the host says instead (succeeded, failed, or still running there) and say so; until then, this.
   */
  settleAtShutdown(deployment: Deployment, why: string): void {
    if (!deployment.isActive) return;
    deployment.log.close();
    deployment.fail(this.clock.now(), `outcome unknown: the server shut down (${why}) while it ran. Check get_app_status once the server is back.`);
    this.logger.warn('deployment still running at shutdown: outcome unknown', { deployment: deployment.id, app: deployment.app.value, kind: deployment.kind });
    this.store.changed(deployment);
  }

  private refuseIfStopping(): void {
    if (this.lifecycle.stopping) throw new ServerShuttingDown(this.lifecycle.why ?? 'stopping');
  }

  private refuseIfRunning(app: string): void {
    const running = this.store.list({ app, activeOnly: true })[0];
    if (running) throw new DeploymentAlreadyRunning(app, running.id);
  }

  private async settle(deployment: Deployment, outcome: DeployOutcome): Promise<void> {
    if (!deployment.isActive) return;
    deployment.log.close();
    // Checked before the outcome is told: a client never sees "succeeded" turn into "failed".
    const verdict = outcome.type === 'exited' && outcome.exitCode === 0 ? await this.checks.verify(deployment) : undefined;
    if (!deployment.isActive) return;
    const at = this.clock.now();
    if (outcome.type === 'lost') {
      deployment.fail(at, `connection to the Dokku host was lost; outcome unknown (${outcome.reason}). Check get_app_status.`);
    } else if (outcome.type === 'timed_out') {
      deployment.fail(at, outcome.reason);
    } else if (outcome.exitCode === 0) {
      // config:set exits 0 even when its restart failed; Dokku only says so in the output.
      const restartFailure = findLine(deployment.log.tail(200), /Failure while restarting app/);
      if (restartFailure) deployment.fail(at, restartFailure, 0);
      else if (verdict && !verdict.ok) deployment.fail(at, verdict.reason, 0);
      else deployment.succeed(at, 0, verdict?.verified);
    } else if (deployment.cancelRequested) {
      deployment.cancel(at, outcome.exitCode);
    } else {
      const reason = lastFailureLine(deployment.log.tail(200)) ?? `Dokku exited with status ${outcome.exitCode}`;
      deployment.fail(at, reason, outcome.exitCode);
    }
    this.logger.info('deployment finished', {
      deployment: deployment.id,
      app: deployment.app.value,
      kind: deployment.kind,
      status: deployment.status,
      exitCode: deployment.exitCode,
    });
    this.checks.remember(deployment, verdict);
    this.store.changed(deployment);
  }
}
