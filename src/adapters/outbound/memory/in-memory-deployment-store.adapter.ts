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
  private readonly byId = new Map<string, Deployment>(); // by key; insertion order = creation order
  /** Host-build ids (`<app>.<build id>`) of deployments created under another key. */
  private readonly aliases = new Map<string, string>();
  private readonly watchers = new Map<string, Set<Listener>>(); // by key

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
    this.byId.set(deployment.key, deployment);
    this.evictOverflow();
  }

  get(id: string): Deployment | undefined {
    this.expire();
    const direct = this.byId.get(id) ?? this.byId.get(this.aliases.get(id) ?? '');
    if (direct) return direct;
    // A host build id linked after the deployment was created (the alias is noted on its next change).
    for (const d of this.byId.values()) if (d.id === id) return this.alias(d);
    return undefined;
  }

  list(filter: DeploymentFilter = {}): Deployment[] {
    this.expire();
    return [...this.byId.values()]
      .filter((d) => (filter.app === undefined || d.app.value === filter.app) && (!filter.activeOnly || d.isActive))
      .reverse();
  }

  changed(deployment: Deployment): void {
    if (deployment.id !== deployment.key && this.byId.get(deployment.key) === deployment) this.alias(deployment);
    for (const listener of [...(this.watchers.get(deployment.key) ?? [])]) {
      try {
        listener(deployment);
      } catch {
        // One broken watcher must not stop the others or the deploy that reported the change.
      }
    }
  }

  watch(id: string, listener: Listener): () => void {
    const key = this.get(id)?.key ?? id;
    let set = this.watchers.get(key);
    if (!set) this.watchers.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.watchers.delete(key);
    };
  }

  private alias(deployment: Deployment): Deployment {
    this.aliases.set(deployment.id, deployment.key);
    return deployment;
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

  private remove(key: string): void {
    const removed = this.byId.get(key);
    this.byId.delete(key);
    this.watchers.delete(key);
    if (removed) this.aliases.delete(removed.id);
  }
}
