import { inject, injectable } from 'inversify';
import { BuildLog } from '../../domain/build-log.js';
import { Deployment, type DeploymentKind, type DeploymentSource } from '../../domain/deployment.js';
import { AppNotFound, DeploymentAlreadyRunning, isDomainError, NotDeployed } from '../../domain/domain-errors.js';
import { Clock } from '../../ports/clock.port.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { DokkuDeploys, type DeployOperation, type DeployOutcome } from '../../ports/dokku-deploys.port.js';
import { IdGenerator } from '../../ports/id-generator.port.js';
import { Limits } from '../../ports/settings.port.js';
import { Logger } from '../../ports/logger.port.js';
import { AppSecrets } from '../config/app-secrets.js';
import { ContainerChanges } from '../logs/container-changes.js';

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
 * (sanitized) as it arrives, outcome decided by Dokku's exit status. Returns as soon as the operation has started.
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
    @inject(ContainerChanges) private readonly containers: ContainerChanges,
  ) {}

  async start(request: StartDeployment): Promise<Deployment> {
    const app = request.operation.app;
    this.refuseIfRunning(app.value);
    // Checked up front so the caller gets APP_NOT_FOUND / NOT_DEPLOYED now, not as a failed deployment later.
    if (request.requireDeployed) {
      if (!(await this.apps.status(app)).deployed) throw new NotDeployed(app.value);
    } else if (!(await this.apps.exists(app))) {
      throw new AppNotFound(app.value);
    }
    // The app's existing config values are secrets in its build output too (never fails: pattern-only on error).
    const sanitizer = await this.appSecrets.sanitizerFor(app);
    this.refuseIfRunning(app.value); // again: another deploy may have started while we asked the host

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
    void run.outcome.then(
      (outcome) => this.settle(deployment, outcome),
      (error: unknown) => this.settle(deployment, { type: 'lost', reason: String(error) }),
    );
    return deployment;
  }

  private refuseIfRunning(app: string): void {
    const running = this.store.list({ app, activeOnly: true })[0];
    if (running) throw new DeploymentAlreadyRunning(app, running.id);
  }

  private settle(deployment: Deployment, outcome: DeployOutcome): void {
    if (!deployment.isActive) return;
    const at = this.clock.now();
    deployment.log.close();
    if (outcome.type === 'lost') {
      deployment.fail(at, `connection to the Dokku host was lost; outcome unknown (${outcome.reason}). Check get_app_status.`);
    } else if (outcome.type === 'timed_out') {
      deployment.fail(at, outcome.reason);
    } else if (outcome.exitCode === 0) {
      // config:set exits 0 even when its restart failed; Dokku only says so in the output.
      const restartFailure = findLine(deployment.log.tail(200), /Failure while restarting app/);
      if (restartFailure) deployment.fail(at, restartFailure, 0);
      else deployment.succeed(at, 0);
    } else if (deployment.cancelRequested) {
      deployment.cancel(at, outcome.exitCode);
    } else {
      const reason = findLine(deployment.log.tail(200), /^\s*!\s+\S/) ?? `Dokku exited with status ${outcome.exitCode}`;
      deployment.fail(at, reason, outcome.exitCode);
    }
    this.logger.info('deployment finished', {
      deployment: deployment.id,
      app: deployment.app.value,
      kind: deployment.kind,
      status: deployment.status,
      exitCode: deployment.exitCode,
    });
    this.store.changed(deployment);
    // Even a failed one may have replaced some containers (a scale, a restart halfway): followers look again.
    this.containers.replaced(deployment.app, `${deployment.kind.replace('_', ' ')} ${deployment.status}`);
  }
}

/** The last line matching `pattern`, trimmed of Dokku's " !     " marker. */
function findLine(text: string, pattern: RegExp): string | undefined {
  const lines = text.split('\n').filter((line) => pattern.test(line));
  const last = lines[lines.length - 1];
  return last?.replace(/^\s*!\s+/, '').trim();
}
