import { inject, injectable } from 'inversify';
import type { AppName } from '../../domain/app-name.js';
import type { Deployment } from '../../domain/deployment.js';
import { hostDeploymentId } from '../../domain/deployment-id.js';
import { AppNotFound, Conflict, DeploymentAlreadyRunning } from '../../domain/domain-errors.js';
import type { HostBuild } from '../../domain/host-build.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { DokkuBuilds } from '../../ports/dokku-builds.port.js';
import { Logger } from '../../ports/logger.port.js';
import { DeploymentSettings } from '../../ports/settings.port.js';

/** The app's builds the host knew before our deploy started: the first new one afterwards is ours. */
export interface BuildSnapshot {
  readonly known: ReadonlySet<string>;
}

const WAIT_POLL_MS = 200;
/** How often the host's record is asked after a loss (each ask may itself wait out a connect timeout). */
const LOSS_POLL_MS = 1_000;
const BACKGROUND_POLL_MS = 1_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ties a deploy this server starts to the host's record of it (Dokku 0.38+), so that its id is `<app>.<build id>`
 * (answerable after a restart) and list_deployments shows it once. Dokku lets one deploy per app run (its deploy lock),
 * so a build that appears after ours started, and was not there before, is ours.
 */
@injectable()
export class HostBuildLink {
  constructor(
    @inject(DokkuBuilds) private readonly builds: DokkuBuilds,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(DeploymentSettings) private readonly settings: DeploymentSettings,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /**
   * What the host holds before the deploy starts; undefined when it keeps no record (or cannot say now). Refuses with
   * DeploymentAlreadyRunning when the host is running a build of the app already (a git push, a shell): ours would
   * only meet Dokku's deploy lock.
   */
  async prepare(app: AppName): Promise<BuildSnapshot | undefined> {
    let builds: HostBuild[];
    try {
      if (!(await this.builds.supported())) return undefined;
      builds = await this.builds.list(app);
    } catch (error) {
      if (error instanceof AppNotFound) throw error;
      this.logger.warn('could not read the host build record before a deploy', { app: app.value, error: String(error) });
      return undefined;
    }
    const running = builds.find((b) => b.status === 'running');
    if (running) throw new DeploymentAlreadyRunning(app.value, hostDeploymentId(app.value, running.id));
    return { known: new Set(builds.map((b) => b.id)) };
  }

  /**
   * Waits up to deployments.build_id_wait_ms for the deploy's build to appear (or for the deploy to end), links it, and
   * returns; when it has not appeared yet, keeps looking in the background until the deploy has ended. Never once
   * `giveUp()` says so (Dokku refused it, or its connection dropped: a build that appears after that may be another's,
   * e.g. a git push begun once ours died).
   */
  async link(deployment: Deployment, snapshot: BuildSnapshot | undefined, outcome: Promise<unknown>, giveUp: () => boolean = () => false): Promise<void> {
    if (!snapshot) return;
    let ended = false;
    void outcome.then(() => (ended = true), () => (ended = true));
    const deadline = Date.now() + this.settings.buildIdWaitMs;
    for (;;) {
      const wasOver = ended;
      if (giveUp() || (await this.tryLink(deployment, snapshot, giveUp))) return;
      if (wasOver) return; // looked once after it ended: it made no build (a no-op scale, a warning)
      if (Date.now() + WAIT_POLL_MS > deadline) break;
      await sleep(WAIT_POLL_MS);
    }
    void this.background(deployment, snapshot, () => ended, giveUp);
  }

  /**
   * Resolves once the operation is under way (`underway`: it printed something other than Dokku's lock refusal) or has
   * ended, and at most deployments.build_id_wait_ms after the call: a refusal by the host's deploy lock, the first thing
   * Dokku says, is then known before the deploy is reported started.
   */
  async untilUnderway(underway: Promise<void>, outcome: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.settings.buildIdWaitMs)));
    await Promise.race([underway, outcome.then(() => undefined, () => undefined), waited]);
    clearTimeout(timer);
  }

  /**
   * The CONFLICT for a deploy Dokku refused because the app's deploy lock was held by a deploy this server did not start
   * (a git push, a shell): it names the host's running build where the host keeps a record.
   */
  async lockRefusal(app: AppName): Promise<Conflict> {
    const running = await this.builds
      .supported()
      .then((supported) => (supported ? this.builds.list(app, { runningOnly: true }) : []))
      .then((builds) => builds.find((b) => b.status === 'running'))
      .catch(() => undefined);
    if (running) return new DeploymentAlreadyRunning(app.value, hostDeploymentId(app.value, running.id));
    return new Conflict(
      `App "${app.value}" has a deploy lock in place: a deploy not started by this server (a git push?) is running on the host, so Dokku refused this one; nothing was changed.`,
      'Wait for it to finish (list_deployments shows it where Dokku keeps a build record, 0.38+), then try again.',
    );
  }

  /**
   * The host's record of the deployment's build once it is no longer running there, polled for up to `waitMs`;
   * undefined when the host keeps no record of it, cannot be asked, or still runs it then.
   */
  async finalBuild(deployment: Deployment, waitMs: number): Promise<HostBuild | undefined> {
    const id = deployment.hostBuildId;
    if (!id) return undefined;
    for (const deadline = Date.now() + waitMs; ; await sleep(WAIT_POLL_MS)) {
      const build = await this.builds
        .list(deployment.app)
        .then((builds) => builds.find((b) => b.id === id))
        .catch(() => undefined);
      if (build && build.status !== 'running') return build;
      if (!build || Date.now() + WAIT_POLL_MS > deadline) return undefined;
    }
  }

  /** How long buildAfterLoss asks (deployments.lost_recheck_seconds). */
  get lostRecheckMs(): number {
    return this.settings.lostRecheckMs;
  }

  /**
   * After the connection dropped under a running deploy: the host's record of its (linked) build once it has ended
   * there. Closing the channel ends the deploy at its next write, unless it ended first; the record says which. Asked
   * again (through errors: the host may be unreachable a while) for up to deployments.lost_recheck_seconds, while
   * `stillWaiting()`; undefined when the host keeps no record of it, or has not said by then.
   */
  async buildAfterLoss(deployment: Deployment, stillWaiting: () => boolean): Promise<HostBuild | undefined> {
    const id = deployment.hostBuildId;
    if (!id || this.settings.lostRecheckMs <= 0) return undefined;
    for (const deadline = Date.now() + this.settings.lostRecheckMs; stillWaiting(); await sleep(LOSS_POLL_MS)) {
      const builds = await this.builds.list(deployment.app).catch((error: unknown) => {
        this.logger.debug('could not read the host build record after a lost deploy yet', { deployment: deployment.key, error: String(error) });
        return undefined;
      });
      const build = builds?.find((b) => b.id === id);
      if (build && build.status !== 'running') return build;
      if ((builds && !build) || Date.now() + LOSS_POLL_MS > deadline) return undefined;
    }
    return undefined;
  }

  private async background(deployment: Deployment, snapshot: BuildSnapshot, ended: () => boolean, giveUp: () => boolean): Promise<void> {
    for (;;) {
      const wasOver = ended();
      if (giveUp() || (await this.tryLink(deployment, snapshot, giveUp)) || wasOver) return;
      await sleep(BACKGROUND_POLL_MS);
    }
  }

  private async tryLink(deployment: Deployment, snapshot: BuildSnapshot, giveUp: () => boolean): Promise<boolean> {
    try {
      const builds = await this.builds.list(deployment.app);
      return !giveUp() && this.linkFirstNew(deployment, builds, snapshot); // asked again: the list took a while
    } catch (error) {
      this.logger.debug('could not link a deploy to its host build yet', { deployment: deployment.key, error: String(error) });
      return false;
    }
  }

  /** Links the deployment to the first of `builds` started since `snapshot` (ours: one deploy per app at a time). */
  private linkFirstNew(deployment: Deployment, builds: readonly HostBuild[], snapshot: BuildSnapshot): boolean {
    const ours = builds.filter((b) => !snapshot.known.has(b.id)).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())[0];
    if (!ours) return false;
    deployment.linkHostBuild(ours.id);
    void this.store.changed(deployment);
    return true;
  }
}
