import { inject, injectable } from 'inversify';
import type { Deployment } from '../../domain/deployment.js';
import { BuildId } from '../../domain/dokku-values.js';
import type { HostBuild } from '../../domain/host-build.js';
import { Clock } from '../../ports/clock.port.js';
import { ClusterLock } from '../../ports/cluster-lock.port.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { DokkuBuilds } from '../../ports/dokku-builds.port.js';
import { Logger } from '../../ports/logger.port.js';
import { DeploymentSettings } from '../../ports/settings.port.js';
import { deployLockName } from './deploy-locks.js';
import { endAsRecorded } from './host-deployments.js';

const GONE = '; the dokku-mcp instance running it stopped before it ended';
const UNKNOWN =
  'The dokku-mcp instance running this deploy stopped before it ended (its deploy lock expired), and the host keeps no build record of it: outcome unknown. Check get_app_status and get_failed_deploy_logs.';

/**
 * With a shared store, deployments whose writer is gone: an instance killed mid-deploy leaves its deployment active in
 * the store (its channel closed, and Dokku's deploy dies at its next write). Every instance sweeps: an active
 * deployment of ours whose deploy lock nobody holds — or a followed host build that the host says has ended — on two
 * sweeps at least orphanGraceMs apart (a live writer takes its lock again within moments of the store answering) is
 * settled from the host's build record: succeeded, failed, canceled or abandoned; a build still running there is left
 * until it ends; without a record it ends failed, "outcome unknown". Never on a guess.
 */
@injectable()
export class OrphanedDeployments {
  /** Key → when its writer was first seen gone. */
  private readonly suspects = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(ClusterLock) private readonly locks: ClusterLock,
    @inject(DokkuBuilds) private readonly builds: DokkuBuilds,
    @inject(Clock) private readonly clock: Clock,
    @inject(DeploymentSettings) private readonly settings: DeploymentSettings,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** Sweeps every half grace, on an unref'd timer, until stop(). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), Math.max(50, Math.floor(this.settings.orphanGraceMs / 2)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at the active deployments; resolves to the ones it settled. Never rejects (a store or host that does not answer waits for the next sweep). */
  async sweep(): Promise<Deployment[]> {
    if (this.sweeping) return [];
    this.sweeping = true;
    try {
      const active = await this.store.list({ activeOnly: true }).catch(() => undefined);
      if (!active) return [];
      const now = this.clock.now().getTime();
      const settled: Deployment[] = [];
      for (const key of this.suspects.keys()) if (!active.some((d) => d.key === key)) this.suspects.delete(key);
      for (const deployment of active) {
        if (!(await this.writerGone(deployment))) {
          this.suspects.delete(deployment.key);
          continue;
        }
        const since = this.suspects.get(deployment.key);
        if (since === undefined) this.suspects.set(deployment.key, now);
        else if (now - since >= this.settings.orphanGraceMs && (await this.settle(deployment))) {
          this.suspects.delete(deployment.key);
          settled.push(deployment);
        }
      }
      return settled;
    } finally {
      this.sweeping = false;
    }
  }

  private async writerGone(deployment: Deployment): Promise<boolean> {
    try {
      if (deployment.origin === 'mcp') return (await this.locks.holder(deployLockName(deployment.app.value))) !== deployment.key;
      const build = await this.hostBuild(deployment);
      return build !== undefined && build.status !== 'running';
    } catch {
      return false; // cannot tell now
    }
  }

  /** Ends it from the host's record; false when that cannot be done yet (the host still runs it, or does not answer). */
  private async settle(deployment: Deployment): Promise<boolean> {
    let build: HostBuild | undefined;
    try {
      build = await this.hostBuild(deployment);
    } catch (error) {
      this.logger.debug('could not read the host build of a deployment whose instance is gone', { deployment: deployment.id, error: String(error) });
      return false;
    }
    if (build?.status === 'running') return false; // it dies at its next write; settled once the host says so
    const now = this.clock.now();
    if (build) endAsRecorded(deployment, build, now, await this.store.tailLog(deployment.key, 200).catch(() => ''), GONE);
    else deployment.fail(now, UNKNOWN);
    await this.store.changed(deployment);
    this.logger.warn('settled a deployment whose instance is gone', { deployment: deployment.id, app: deployment.app.value, status: deployment.status });
    return true;
  }

  private async hostBuild(deployment: Deployment): Promise<HostBuild | undefined> {
    if (!deployment.hostBuildId || !(await this.builds.supported())) return undefined;
    return this.builds.info(deployment.app, BuildId.of(deployment.hostBuildId));
  }
}
