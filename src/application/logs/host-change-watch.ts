import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { AppStatus } from '../../ports/dokku-apps.port.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';
import { DokkuBuilds } from '../../ports/dokku-builds.port.js';
import { Logger } from '../../ports/logger.port.js';
import { HostChangeSettings } from '../../ports/settings.port.js';
import { DeployLocks } from '../deployments/deploy-locks.js';
import { ContainerChanges } from './container-changes.js';

/** One followed app: the running containers its current follow started with, and the next look. */
interface Watch {
  readonly app: AppName;
  /** Bumped whenever a follow (re)starts: a look begun before that compares with the wrong containers. */
  generation: number;
  /** The running containers ("web.1=<container id>", sorted) when the current follow started; undefined until read. */
  baseline?: string;
  looking: boolean;
  /** A follow started while a look was under way: look again, for the new baseline. */
  again: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Restarts a followed app's follower when its containers change outside this server — a `git push`, a shell on the
 * host, another instance: Dokku's `logs --tail` follows only the containers that existed when it started. While an
 * app is followed, its running containers (ps:report: process and container id, a short command) are read when each
 * follow starts and then every logs.runtime.host_change_poll_seconds; when they differ and no operation of ours on
 * the app is under way (ours report their own change when they end), the change is reported as ContainerChanges
 * `replaced`, and the hub's follower starts again with --num 0 behind a `restarted` marker. The reason names the
 * host's latest build where the host keeps a record (Dokku 0.38+). Containers that merely stopped are not reported:
 * the remote follower ends by itself then, and the follower says why. The watch ends with the follower.
 */
@injectable()
export class HostChangeWatch {
  private readonly watches = new Map<string, Watch>();

  constructor(
    @inject(DokkuApps) private readonly apps: DokkuApps,
    @inject(DokkuBuilds) private readonly builds: DokkuBuilds,
    @inject(ContainerChanges) private readonly changes: ContainerChanges,
    @inject(HostChangeSettings) private readonly settings: HostChangeSettings,
    @inject(Logger) private readonly logger: Logger,
    @inject(DeployLocks) private readonly locks: DeployLocks,
  ) {
    if (settings.pollMs <= 0) return;
    changes.onFollowStarted((app) => this.followStarted(app));
    changes.onFollowEnded((app) => this.followEnded(app));
    // A change already reported (ours, just ended): the follow that starts for it takes the new baseline; a look begun
    // before must not report the same change again as one made outside.
    changes.onReplaced((app) => this.forget(app));
  }

  private forget(app: string): void {
    const watch = this.watches.get(app);
    if (!watch) return;
    watch.generation += 1;
    watch.baseline = undefined;
  }

  /** Apps watched now. */
  get watched(): readonly string[] {
    return [...this.watches.keys()].sort();
  }

  /** Stops every watch (shutdown; the followers' own end does it too). */
  dispose(): void {
    for (const app of [...this.watches.keys()]) this.followEnded(app);
  }

  private followStarted(app: string): void {
    let watch = this.watches.get(app);
    if (!watch) {
      watch = { app: AppName.of(app), generation: 0, looking: false, again: false };
      this.watches.set(app, watch);
    }
    watch.generation += 1;
    watch.baseline = undefined;
    clearTimeout(watch.timer);
    void this.look(watch);
  }

  private followEnded(app: string): void {
    const watch = this.watches.get(app);
    if (!watch) return;
    clearTimeout(watch.timer);
    this.watches.delete(app);
  }

  private schedule(watch: Watch): void {
    clearTimeout(watch.timer);
    watch.timer = setTimeout(() => void this.look(watch), this.settings.pollMs);
    watch.timer.unref?.();
  }

  private async look(watch: Watch): Promise<void> {
    if (watch.looking) {
      watch.again = true;
      return;
    }
    watch.looking = true;
    const generation = watch.generation;
    const running = await this.apps.status(watch.app).then(runningContainers, (error: unknown) => {
      this.logger.debug('could not read the containers of a followed app; looking again later', { app: watch.app.value, error: String(error) });
      return undefined;
    });
    watch.looking = false;
    if (this.watches.get(watch.app.value) !== watch) return;
    if (watch.again || generation !== watch.generation) {
      watch.again = false;
      return void this.look(watch); // a follow started meanwhile: read its containers
    }
    try {
      if (running !== undefined) await this.compare(watch, generation, running);
    } finally {
      if (this.watches.get(watch.app.value) === watch && generation === watch.generation && !watch.looking) this.schedule(watch);
    }
  }

  private async compare(watch: Watch, generation: number, running: string): Promise<void> {
    const app = watch.app.value;
    // Ours under way (on this instance, or on another: the app's deploy lock is cluster-wide): it reports its own change
    // when it ends, and the follow that starts then takes a new baseline.
    // The lock is asked about only when the containers differ: no store round trip on the looks that find nothing.
    if (this.changes.changing(app)) return;
    if (watch.baseline !== undefined && watch.baseline !== running && running !== '' && (await this.locks.busy(app))) return;
    if (this.watches.get(app) !== watch || generation !== watch.generation) return;
    const before = watch.baseline;
    watch.baseline = running;
    if (before === undefined || before === running || running === '') return;
    const reason = await this.describe(watch.app);
    if (this.watches.get(app) !== watch || generation !== watch.generation || this.changes.changing(app)) return;
    this.logger.info('a followed app\'s containers changed outside this server; following the new ones', { app, reason });
    this.changes.replaced(watch.app, reason);
  }

  /** What changed them, as far as the host's build record tells (Dokku 0.38+); never fails. */
  private async describe(app: AppName): Promise<string> {
    const outside = 'a change made outside this server';
    try {
      if (!(await this.builds.supported())) return outside;
      const latest = (await this.builds.list(app)).find((build) => build.status !== 'running');
      if (!latest) return outside;
      const at = latest.finishedAt ? ` at ${latest.finishedAt.toISOString()}` : '';
      return `${outside}; the host's latest build: ${latest.id}, ${latest.kind} by ${latest.source}, ${latest.status}${at}`;
    } catch {
      return outside;
    }
  }
}

/** The app's running containers as one comparable string: "web.1=<id>,worker.1=<id>" (sorted); "" when none runs. */
function runningContainers(status: AppStatus): string {
  return status.processes
    .filter((process) => process.status === 'running')
    .map((process) => `${process.type}.${process.index}=${process.containerId ?? ''}`)
    .sort()
    .join(',');
}
