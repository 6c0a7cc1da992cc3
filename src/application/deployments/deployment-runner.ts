import { inject, injectable } from 'inversify';
import { BuildLog } from '../../domain/build-log.js';
import { Deployment, type DeploymentKind, type DeploymentSource } from '../../domain/deployment.js';
import type { HostBuild } from '../../domain/host-build.js';
import { AppNotFound, type Conflict, DeploymentAlreadyRunning, isDomainError, NotDeployed, ServerShuttingDown } from '../../domain/domain-errors.js';
import { Clock } from '../../ports/clock.port.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { DokkuDeploys, type DeployOperation, type DeployOutcome } from '../../ports/dokku-deploys.port.js';
import { IdGenerator } from '../../ports/id-generator.port.js';
import { Limits } from '../../ports/settings.port.js';
import { Logger } from '../../ports/logger.port.js';
import { AppSecrets } from '../config/app-secrets.js';
import { DeployLocks, type DeployLease } from './deploy-locks.js';
import { DeploymentChecks } from './deployment-checks.js';
import { findLine, lastFailureLine } from './deployment-lines.js';
import { HostBuildLink, type BuildSnapshot } from './host-build-link.js';
import { endAsRecorded } from './host-deployments.js';
import { ServerLifecycle } from '../server/server-lifecycle.js';
import { ContainerChanges } from '../logs/container-changes.js';

/** How long a shutdown waits for the host's record of a deploy whose channel it closed to say how it ended. */
const SHUTDOWN_RECORD_WAIT_MS = 1_000;
/** A deploy this instance runs: what a shutdown must settle. */
interface ActiveDeploy {
  readonly deployment: Deployment;
  readonly log: BuildLog;
  stop?: () => void;
  /** Set once its connection dropped and the host's record is being asked how it ended: why it dropped. */
  lost?: string;
  /** Frees its app for the next deploy (idempotent). */
  release?: () => Promise<void>;
}

/** How a deploy ended: as the channel said, or (after a loss) as the host's build record says. */
type SettledOutcome = DeployOutcome | { readonly type: 'recorded'; readonly build: HostBuild; readonly reason: string };

/** Dokku's refusal when another deploy of the app holds its deploy lock (" !     <app> currently has a deploy lock in place. Exiting..."). */
const DEPLOY_LOCK_REFUSAL = /currently has a deploy lock in place/;

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
 * Runs any build/redeploy operation as a tracked Deployment: one per app at a time across the cluster (DeployLocks),
 * output captured line by line
 * (sanitized) as it arrives, outcome decided by Dokku's exit status and then by what runs (an exit 0 that leaves a
 * process down is a failure). Returns as soon as the operation has started and, on Dokku 0.38+, its build is linked
 * to the host's record (so its id is `<app>.<build id>`).
 */
@injectable()
export class DeploymentRunner {
  /** The deployments this instance runs, by key, with their logs: what a shutdown must settle. */
  private readonly active = new Map<string, ActiveDeploy>();
  /** Deployments whose channel the shutdown closed: the loss that follows is not their outcome (the host's record is). */
  private readonly stoppedAtShutdown = new Set<string>();

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
    @inject(DeployLocks) private readonly locks: DeployLocks,
    @inject(ServerLifecycle) private readonly lifecycle: ServerLifecycle,
    @inject(ContainerChanges) private readonly containers: ContainerChanges,
  ) {}

  async start(request: StartDeployment): Promise<Deployment> {
    const app = request.operation.app;
    const key = Deployment.newId(this.ids.sortableId());
    this.refuseIfStopping();
    await this.refuseIfRunning(app.value); // a build of the app we follow from the host holds no lock of ours
    const lease = await this.locks.take(app, key); // from here until its outcome is stored: a second deploy is refused
    let deployment: Deployment;
    let log: BuildLog;
    let snapshot: BuildSnapshot | undefined;
    try {
      // Checked up front so the caller gets APP_NOT_FOUND / NOT_DEPLOYED now, not as a failed deployment later.
      if (request.requireDeployed) {
        if (!(await this.apps.status(app)).deployed) throw new NotDeployed(app.value);
      } else if (!(await this.apps.exists(app))) {
        throw new AppNotFound(app.value);
      }
      // The app's existing config values are secrets in its build output too (never fails: pattern-only on error).
      let sanitizer;
      [sanitizer, snapshot] = await Promise.all([this.appSecrets.sanitizerFor(app), this.hostLink.prepare(app)]);
      await this.refuseIfRunning(app.value); // again: a host build may have been found meanwhile
      this.refuseIfStopping(); // and the server may have begun to stop

      // The log is redacted line by line and Dokku echoes a multi-line value over several lines: each line is a secret too.
      const secrets = (request.secrets ?? []).flatMap((secret) => [secret, ...secret.split(/\r?\n/)]);
      const withValues = secrets.length ? sanitizer.withSecrets(secrets) : sanitizer;
      const redactor = request.secretKeys?.length ? withValues.withSecretKeys(request.secretKeys) : withValues;
      deployment = new Deployment({ id: key, app, kind: request.kind, source: request.source ?? { type: 'none' }, createdAt: this.clock.now() });
      log = new BuildLog({ maxBytes: this.limits.buildLogMaxBytes, redact: redactor.lineByLine() });
      await this.store.add(deployment, log);
      this.active.set(key, { deployment, log });
    } catch (error) {
      await lease.release();
      throw error;
    }

    let run;
    // Until it is settled (and has said `replaced`), a change of the app's containers seen on the host is this deploy's.
    const endChange = this.containers.begin(app);
    let signalUnderway!: () => void;
    const underway = new Promise<void>((resolve) => (signalUnderway = resolve));
    try {
      run = await this.deploys.start(request.operation, (chunk) => {
        if (log.append(chunk) > 0) void this.store.changed(deployment);
        if (!DEPLOY_LOCK_REFUSAL.test(chunk)) signalUnderway();
      });
    } catch (error) {
      log.close();
      this.active.delete(key);
      endChange();
      deployment.fail(this.clock.now(), isDomainError(error) ? error.message : 'the deploy could not be started');
      void this.store.changed(deployment).finally(() => lease.release());
      throw error;
    }
    deployment.start(this.clock.now());
    void this.store.changed(deployment);
    const entry = this.active.get(key);
    if (entry) entry.stop = run.stop;
    let refusal: Conflict | undefined;
    // Whether Dokku refused it for another deploy's lock is known before a lost deploy's wait for the host's record.
    let refusalKnown!: () => void;
    const known = new Promise<void>((resolve) => (refusalKnown = resolve));
    const settled = run.outcome
      .then(
        (outcome) => this.settle(deployment, log, outcome, lease, refusalKnown),
        (error: unknown) => this.settle(deployment, log, { type: 'lost', reason: String(error) }, lease, refusalKnown),
      )
      .then((refused) => void (refusal = refused))
      .catch((error: unknown) => this.logger.error('could not settle a deployment', { deployment: deployment.id, error }))
      .finally(() => {
        refusalKnown();
        this.active.delete(key);
        endChange();
        return lease.release();
      });
    if (entry) entry.release = () => lease.release();
    // Dokku refuses at once when a deploy it did not get from us (a git push) holds the app's lock: that is the
    // caller's CONFLICT, not a deployment that failed. So the answer waits until the deploy is under way or has ended.
    let ended = false;
    let lostConnection = false; // then a build that appears later may be another's: it is not linked
    void run.outcome.then(
      (outcome) => ((ended = true), (lostConnection = outcome.type === 'lost')),
      () => ((ended = true), (lostConnection = true)),
    );
    await this.hostLink.untilUnderway(underway, run.outcome);
    if (ended) await known;
    if (refusal) throw refusal;
    await this.hostLink.link(deployment, snapshot, run.outcome, () => refusal !== undefined || lostConnection);
    if (ended) await known;
    if (refusal) throw refusal;
    return deployment;
  }

  /** The deployments this instance runs now (another instance's are its own to settle). */
  runningHere(): Deployment[] {
    return [...this.active.values()].map((entry) => entry.deployment).filter((deployment) => deployment.isActive);
  }

  /**
   * Settles a deployment of this instance still running when the server stops. Closing its channel kills it on the host
   * at its next write, so where the host keeps a build record of it, the channel is closed now and the deployment is
   * settled from what that record then says (for up to SHUTDOWN_RECORD_WAIT_MS); else its outcome is unknown.
   */
  /** Returns true when the outcome is known: from the host's record, or because it ended by itself meanwhile. */
  async settleAtShutdown(target: Deployment, why: string): Promise<boolean> {
    const own = this.active.get(target.key);
    const deployment = own?.deployment ?? target;
    if (!deployment.isActive) return true;
    if (own?.lost !== undefined) return this.settleLostAtShutdown(own, why);
    let build: HostBuild | undefined;
    if (own?.stop && deployment.hostBuildId) {
      this.stoppedAtShutdown.add(deployment.key);
      own.stop();
      build = await this.hostLink.finalBuild(deployment, SHUTDOWN_RECORD_WAIT_MS);
    }
    if (!deployment.isActive) return true; // it ended by itself meanwhile
    own?.log.close();
    const at = this.clock.now();
    if (build) {
      const record = `the server shut down (${why}) while it ran; the host's build record says "${build.status}"`;
      if (build.status === 'succeeded') deployment.succeed(at, build.exitCode ?? 0);
      else if (build.status === 'canceled') deployment.cancel(at, build.exitCode, `canceled on the host: ${record}`);
      else if (build.status === 'abandoned') deployment.fail(at, `stopped: ${record} (closing its channel ended it there). Check get_app_status.`, build.exitCode);
      else deployment.fail(at, `${record} (exit ${build.exitCode ?? 'unknown'}). Check get_build_logs.`, build.exitCode);
      this.logger.warn('deployment still running at shutdown: settled from the host build record', { deployment: deployment.id, app: deployment.app.value, kind: deployment.kind, status: deployment.status, host: build.status });
    } else {
      deployment.fail(at, `outcome unknown: the server shut down (${why}) while it ran. Check get_app_status once the server is back.`);
      this.logger.warn('deployment still running at shutdown: outcome unknown', { deployment: deployment.id, app: deployment.app.value, kind: deployment.kind });
    }
    await this.store.changed(deployment).catch(() => undefined);
    return build !== undefined;
  }

  /**
   * A deploy whose connection had dropped, still waiting for the host's record at shutdown: its channel is gone
   * already, so the record is asked once more, briefly; then it is stored settled and its app freed at once (its own
   * wait ends at its next look).
   */
  private async settleLostAtShutdown(own: ActiveDeploy, why: string): Promise<boolean> {
    const { deployment } = own;
    this.stoppedAtShutdown.add(deployment.key);
    const build = await this.hostLink.finalBuild(deployment, SHUTDOWN_RECORD_WAIT_MS);
    if (deployment.isActive) {
      const at = this.clock.now();
      const lost = `the connection to the Dokku host was lost while it ran (${own.lost})`;
      if (build) endAsRecorded(deployment, build, at, own.log.tail(200), `; ${lost}`);
      else deployment.fail(at, `outcome unknown: ${lost}, and the server shut down (${why}) before the host said how it ended. Check get_app_status once the server is back.`);
      this.logger.warn('deployment waiting for the host record at shutdown: settled', { deployment: deployment.id, app: deployment.app.value, status: deployment.status, host: build?.status ?? 'unknown' });
      await this.store.changed(deployment).catch(() => undefined);
    }
    await own.release?.(); // after the store write: whoever takes the app next sees how this one ended
    return build !== undefined;
  }

  private refuseIfStopping(): void {
    if (this.lifecycle.stopping) throw new ServerShuttingDown(this.lifecycle.why ?? 'stopping');
  }

  private async refuseIfRunning(app: string): Promise<void> {
    const running = (await this.store.list({ app, activeOnly: true }))[0];
    if (running) throw new DeploymentAlreadyRunning(app, running.id);
  }

  /**
   * The outcome of a deploy whose connection dropped, from the host's build record once the host answers: a build it
   * records as succeeded is an exit 0 (then checked like any), any other end as recorded; undefined when the host keeps
   * no record of it or has not answered within deployments.lost_recheck_seconds.
   */
  private async outcomeAfterLoss(deployment: Deployment, log: BuildLog, reason: string): Promise<SettledOutcome | undefined> {
    // Not linked to its host build by now: looking for it later could take another's (a git push once ours died).
    if (!deployment.hostBuildId || this.hostLink.lostRecheckMs <= 0) return undefined;
    const entry = this.active.get(deployment.key);
    if (entry) entry.lost = reason;
    log.appendLine(
      `[dokku-mcp: the connection to the Dokku host was lost while this ran (${reason}); how it ended is read from the host's build record once the host answers (for up to ${Math.round(this.hostLink.lostRecheckMs / 1000)} s)]`,
    );
    void this.store.changed(deployment);
    this.logger.warn('connection lost under a running deploy: asking the host build record how it ended', { deployment: deployment.id, app: deployment.app.value, reason });
    // A shutdown settles it meanwhile (settleAtShutdown): then the wait ends at its next look.
    const build = await this.hostLink.buildAfterLoss(deployment, () => deployment.isActive && !this.stoppedAtShutdown.has(deployment.key));
    if (!build) return undefined;
    return build.status === 'succeeded' ? { type: 'exited', exitCode: build.exitCode ?? 0 } : { type: 'recorded', build, reason };
  }

  /** Whether a cancel was sent for it, here or by another instance (which can only say so through the store). */
  private async cancelWasRequested(deployment: Deployment): Promise<boolean> {
    if (deployment.cancelRequested) return true;
    return (await this.store.get(deployment.key).catch(() => undefined))?.cancelRequested === true;
  }

  /** Settles the deployment from its outcome and frees the app; returns the CONFLICT when Dokku refused it for another deploy's lock. */
  private async settle(
    deployment: Deployment,
    log: BuildLog,
    lostOrEnded: DeployOutcome,
    lease: DeployLease,
    refusalKnown: () => void,
  ): Promise<Conflict | undefined> {
    let outcome: SettledOutcome = lostOrEnded;
    if (!deployment.isActive) return undefined;
    if (outcome.type === 'lost' && this.stoppedAtShutdown.has(deployment.key)) return undefined; // settleAtShutdown's
    if (outcome.type === 'lost') {
      // Not failed on a guess: the host's record says how it ended (its channel gone, it ended at its next write,
      // unless it had ended first). Until then it stays running, and its app locked: the host may still be at it.
      refusalKnown(); // a lost deploy is no refusal: start() need not wait for the host's record
      const recorded = await this.outcomeAfterLoss(deployment, log, outcome.reason);
      if (!deployment.isActive) return undefined; // the shutdown settled it meanwhile
      if (recorded) outcome = recorded;
    }
    log.close();
    if (outcome.type === 'exited' && outcome.exitCode !== 0 && findLine(log.tail(20), DEPLOY_LOCK_REFUSAL)) {
      // Nothing of ours ran: the host was busy with a deploy it did not get from us. Not a failure of this deployment.
      const refusal = await this.hostLink.lockRefusal(deployment.app);
      if (!deployment.isActive) return undefined;
      deployment.cancel(this.clock.now(), outcome.exitCode, `refused by the host: ${refusal.message}`);
      this.logger.info('deploy refused by the host\'s deploy lock', { deployment: deployment.id, app: deployment.app.value, conflict: refusal.message });
      await this.store.changed(deployment);
      await lease.release();
      return refusal; // told to start() once it is set (see start's finally)
    }
    // Checked before the outcome is told: a client never sees "succeeded" turn into "failed".
    const verdict = outcome.type === 'exited' && outcome.exitCode === 0 ? await this.checks.verify(deployment) : undefined;
    const canceled = outcome.type === 'exited' && outcome.exitCode !== 0 && (await this.cancelWasRequested(deployment));
    if (!deployment.isActive) return undefined;
    const at = this.clock.now();
    if (outcome.type === 'lost') {
      deployment.fail(at, `connection to the Dokku host was lost; outcome unknown (${outcome.reason}). Check get_app_status.`);
    } else if (outcome.type === 'recorded') {
      endAsRecorded(deployment, outcome.build, at, log.tail(200), `; the connection to the Dokku host was lost while it ran (${outcome.reason})`);
    } else if (outcome.type === 'timed_out') {
      deployment.fail(at, outcome.reason);
    } else if (outcome.exitCode === 0) {
      // config:set exits 0 even when its restart failed; Dokku only says so in the output.
      const restartFailure = findLine(log.tail(200), /Failure while restarting app/);
      if (restartFailure) deployment.fail(at, restartFailure, 0);
      else if (verdict && !verdict.ok) deployment.fail(at, verdict.reason, 0);
      else deployment.succeed(at, 0, verdict?.verified);
    } else if (canceled) {
      deployment.cancel(at, outcome.exitCode);
    } else {
      const reason = lastFailureLine(log.tail(200)) ?? `Dokku exited with status ${outcome.exitCode}`;
      deployment.fail(at, reason, outcome.exitCode);
    }
    this.logger.info('deployment finished', {
      deployment: deployment.id,
      app: deployment.app.value,
      kind: deployment.kind,
      status: deployment.status,
      exitCode: deployment.exitCode,
    });
    await this.checks.remember(deployment, verdict);
    await this.store.changed(deployment); // stored before the lock is released: the next deploy sees how this one ended
    await lease.release(); // at once: whoever saw it end may start the next one now
    // Even a failed one may have replaced some containers (a scale, a restart halfway): followers look again.
    this.containers.replaced(deployment.app, `${deployment.kind.replace('_', ' ')} ${deployment.status}`);
    return undefined;
  }
}
