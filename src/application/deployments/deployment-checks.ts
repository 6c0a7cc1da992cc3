import { inject, injectable } from 'inversify';
import type { Deployment, DeploymentKind, DeploymentVerification as Verified } from '../../domain/deployment.js';
import { DokkuApps, type AppStatus } from '../../ports/dokku-apps.port.js';
import { DokkuBuilds } from '../../ports/dokku-builds.port.js';
import { Logger } from '../../ports/logger.port.js';
import { ReleaseHistory, type ReleaseSource } from '../../ports/release-history.port.js';

/** Kinds after which every process type scaled above 0 must be running. config changes may leave a stopped app stopped. */
const CHECKED: ReadonlySet<DeploymentKind> = new Set(['deploy', 'deploy_image', 'rebuild', 'restart', 'start', 'scale', 'rollback']);
/** Kinds that put a new source in place: what rollback_app can go back to. */
const NEW_SOURCE: ReadonlySet<DeploymentKind> = new Set(['deploy', 'deploy_image', 'rollback']);

/** ok: with what runs, and (for a new source) exactly what was deployed; else why not. */
export type Verdict =
  | { readonly ok: true; readonly verified?: Verified; readonly release?: ReleaseSource }
  | { readonly ok: false; readonly reason: string };

/**
 * What a deploy that exited 0 really left behind (`ps:report`): Dokku's exit status says the deploy ran, not that the
 * app stayed up. Also records each successful new source (with its exact commit) for rollback_app.
 */
@injectable()
export class DeploymentChecks {
  constructor(
    @inject(DokkuApps) private readonly apps: DokkuApps,
    @inject(DokkuBuilds) private readonly builds: DokkuBuilds,
    @inject(ReleaseHistory) private readonly history: ReleaseHistory,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** Whether every process type with scale > 0 runs; a host that cannot be asked leaves the exit status to decide. */
  async verify(deployment: Deployment): Promise<Verdict> {
    if (!CHECKED.has(deployment.kind)) return { ok: true };
    let status: AppStatus;
    try {
      status = await this.apps.status(deployment.app);
    } catch (error) {
      this.logger.warn('could not check the processes after a deploy', { deployment: deployment.id, error: String(error) });
      return { ok: true };
    }
    if (!status.deployed) {
      return NEW_SOURCE.has(deployment.kind) || deployment.kind === 'rebuild'
        ? { ok: false, reason: 'Dokku exited 0, but the app is not deployed afterwards (ps:report). Check get_app_status.' }
        : { ok: true };
    }
    const down = Object.entries(status.scale)
      .filter(([, wanted]) => wanted > 0)
      .flatMap(([type, wanted]) => {
        const own = status.processes.filter((p) => p.type === type);
        const up = own.filter((p) => p.status === 'running').length;
        const states = [...new Set(own.filter((p) => p.status !== 'running').map((p) => p.status))];
        return up >= wanted ? [] : [`${type}: ${up} of ${wanted} running${states.length ? ` (${states.join(', ')})` : ''}`];
      });
    if (down.length > 0) {
      return {
        ok: false,
        reason: `Dokku exited 0, but not every process is running afterwards: ${down.join('; ')}. See get_runtime_logs and get_failed_deploy_logs for why; rollback_app goes back to the previous release.`,
      };
    }
    const processes = status.processes.filter((p) => p.status === 'running').map((p) => `${p.type}.${p.index}`);
    const release = NEW_SOURCE.has(deployment.kind) ? await this.exactSource(deployment) : undefined;
    return { ok: true, verified: { processes, urls: [...status.urls] }, ...(release ? { release } : {}) };
  }

  /**
   * After a deploy has ended (with the verdict of its exit 0, if it had one): a success with an exact new source is
   * the app's current release; a new source that exited 0 but left processes down is not (the app runs neither).
   * Never rejects: a history that cannot be written is logged.
   */
  async remember(deployment: Deployment, verdict: Verdict | undefined): Promise<void> {
    if (!NEW_SOURCE.has(deployment.kind) || !verdict) return;
    try {
      if (!verdict.ok) return await this.history.supersede(deployment.app.value);
      if (deployment.status !== 'succeeded' || !verdict.release) return;
      await this.history.record({
        deploymentId: deployment.id,
        app: deployment.app.value,
        source: verdict.release,
        finishedAt: deployment.finishedAt ?? new Date(),
      });
    } catch (error) {
      // The deployment's outcome is stored regardless; only rollback_app will not know this release.
      this.logger.warn('could not record the release for rollback_app', { deployment: deployment.id, error: String(error) });
    }
  }

  private async exactSource(deployment: Deployment): Promise<ReleaseSource | undefined> {
    const source = deployment.source;
    if (source.type === 'image') return { type: 'image', image: source.image };
    if (source.type !== 'git') return undefined;
    let sha: string | undefined;
    try {
      sha = await this.builds.deployedCommit(deployment.app);
    } catch (error) {
      this.logger.warn('could not read the deployed commit (git:report --git-sha)', { deployment: deployment.id, error: String(error) });
    }
    // A deploy of a full SHA is exact even when the host cannot tell us.
    sha ??= source.ref && /^[0-9a-f]{40}$/.test(source.ref) ? source.ref : undefined;
    if (!sha) return undefined;
    return { type: 'git', repoUrl: source.repoUrl, sha, ...(source.ref ? { ref: source.ref } : {}) };
  }
}
