import type { Deployment } from '../../../domain/deployment.js';
import type { Clock } from '../../../ports/clock.port.js';
import type { DeploymentFilter, DeploymentStore } from '../../../ports/deployment-store.port.js';

export interface DeploymentStoreOptions {
  /** Finished deployments are removed this long after they finish. */
  readonly retentionMs: number;
  /** At most this many deployments are kept; the oldest finished go first. Running ones are never evicted. */
  readonly maxDeployments: number;
  /** Also expire on a timer this often, so an idle server frees finished build logs (up to 10 MB each). */
  readonly sweepIntervalMs?: number;
}

type Listener = (deployment: Deployment) => void;

/**
 * Deployments in memory, with their build logs. Expired on every access and, when `sweepIntervalMs` is set, on an
 * unref'd timer (it never keeps the process alive).
 */
export class InMemoryDeploymentStore implements DeploymentStore {
  private readonly byId = new Map<string, Deployment>(); // insertion order = creation order
  private readonly watchers = new Map<string, Set<Listener>>();

  private readonly sweeper?: ReturnType<typeof setInterval>;

  constructor(
    private readonly clock: Clock,
    private readonly options: DeploymentStoreOptions,
  ) {
    if (options.sweepIntervalMs) {
      this.sweeper = setInterval(() => this.expire(), options.sweepIntervalMs);
      this.sweeper.unref();
    }
  }

  /** Deployments held right now, without expiring any first. */
  get size(): number {
    return this.byId.size;
  }

  stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  add(deployment: Deployment): void {
    this.expire();
    this.byId.set(deployment.id, deployment);
    this.evictOverflow();
  }

  get(id: string): Deployment | undefined {
    this.expire();
    return this.byId.get(id);
  }

  list(filter: DeploymentFilter = {}): Deployment[] {
    this.expire();
    return [...this.byId.values()]
      .filter((d) => (filter.app === undefined || d.app.value === filter.app) && (!filter.activeOnly || d.isActive))
      .reverse();
  }

  changed(deployment: Deployment): void {
    for (const listener of [...(this.watchers.get(deployment.id) ?? [])]) {
      try {
        listener(deployment);
      } catch {
        // One broken watcher must not stop the others or the deploy that reported the change.
      }
    }
  }

  watch(id: string, listener: Listener): () => void {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.watchers.delete(id);
    };
  }

  private expire(): void {
    const now = this.clock.now().getTime();
    for (const [id, d] of this.byId) {
      if (!d.isActive && d.finishedAt && now - d.finishedAt.getTime() >= this.options.retentionMs) this.remove(id);
    }
  }

  private evictOverflow(): void {
    for (const [id, d] of this.byId) {
      if (this.byId.size <= this.options.maxDeployments) return;
      if (!d.isActive) this.remove(id);
    }
  }

  private remove(id: string): void {
    this.byId.delete(id);
    this.watchers.delete(id);
  }
}
