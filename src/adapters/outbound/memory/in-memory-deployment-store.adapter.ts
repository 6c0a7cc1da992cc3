import type { BuildLog, BuildLogRead } from '../../../domain/build-log.js';
import type { Deployment } from '../../../domain/deployment.js';
import type { Clock } from '../../../ports/clock.port.js';
import type { DeploymentFilter, DeploymentStore } from '../../../ports/deployment-store.port.js';

export interface DeploymentStoreOptions {
  /** Finished deployments are removed this long after they finish (or, added finished from the host's record, after they were added). */
  readonly retentionMs: number;
  /** At most this many deployments are kept; the oldest finished go first. Running ones are never evicted. */
  readonly maxDeployments: number;
  /** Also expire on a timer this often, so an idle server frees finished build logs (up to 10 MB each). */
  readonly sweepIntervalMs?: number;
}

type Listener = (deployment: Deployment) => void;

interface Held {
  readonly deployment: Deployment;
  readonly log: BuildLog;
  /** When the store first held it finished: its retention counts from then. */
  endedAt?: number;
}

/**
 * Deployments in memory, with their build logs (store.type: memory): the objects themselves, so every reader sees the
 * writer's deployment as it is now. Expired on every access and, when `sweepIntervalMs` is set, on an unref'd timer (it
 * never keeps the process alive).
 */
export class InMemoryDeploymentStore implements DeploymentStore {
  private readonly byKey = new Map<string, Held>(); // insertion order = creation order
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
    return this.byKey.size;
  }

  stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  async add(deployment: Deployment, log: BuildLog): Promise<boolean> {
    this.expire();
    if (this.byKey.has(deployment.key)) return false;
    deployment.logGrew(log.size);
    this.byKey.set(deployment.key, { deployment, log, endedAt: deployment.isActive ? undefined : this.clock.now().getTime() });
    this.evictOverflow();
    return true;
  }

  async get(id: string): Promise<Deployment | undefined> {
    return this.find(id)?.deployment;
  }

  async list(filter: DeploymentFilter = {}): Promise<Deployment[]> {
    this.expire();
    return [...this.byKey.values()]
      .map((held) => this.fresh(held))
      .filter((d) => (filter.app === undefined || d.app.value === filter.app) && (!filter.activeOnly || d.isActive))
      .reverse();
  }

  async changed(deployment: Deployment): Promise<void> {
    const held = this.byKey.get(deployment.key);
    if (held?.deployment === deployment) {
      this.fresh(held);
      if (!deployment.isActive) held.endedAt ??= this.clock.now().getTime();
      if (deployment.id !== deployment.key) this.aliases.set(deployment.id, deployment.key);
    }
    for (const listener of [...(this.watchers.get(deployment.key) ?? [])]) {
      try {
        listener(deployment);
      } catch {
        // One broken watcher must not stop the others or the deploy that reported the change.
      }
    }
  }

  async requestCancel(id: string, requested: boolean): Promise<void> {
    const deployment = this.find(id)?.deployment;
    if (requested) deployment?.requestCancel();
    else deployment?.withdrawCancelRequest();
  }

  async watch(id: string, listener: Listener): Promise<() => void> {
    const key = this.find(id)?.deployment.key ?? id;
    let set = this.watchers.get(key);
    if (!set) this.watchers.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.watchers.delete(key);
    };
  }

  async readLog(id: string, sinceOffset: number): Promise<BuildLogRead> {
    const log = this.find(id)?.log;
    return log ? log.readFrom(sinceOffset) : { text: '', nextOffset: Math.max(0, Math.floor(sinceOffset)), skippedBytes: 0 };
  }

  async tailLog(id: string, lines: number): Promise<string> {
    return this.find(id)?.log.tail(lines) ?? '';
  }

  private find(id: string): Held | undefined {
    this.expire();
    const direct = this.byKey.get(id) ?? this.byKey.get(this.aliases.get(id) ?? '');
    if (direct) return this.fresh(direct) && direct;
    // A host build id linked after the deployment was created (the alias is noted on its next change).
    for (const held of this.byKey.values()) {
      if (held.deployment.id === id) {
        this.aliases.set(id, held.deployment.key);
        return this.fresh(held) && held;
      }
    }
    return undefined;
  }

  /** The deployment with its log size brought up to date (the log grows between changes). */
  private fresh(held: Held): Deployment {
    held.deployment.logGrew(held.log.size);
    return held.deployment;
  }

  private expire(): void {
    const now = this.clock.now().getTime();
    for (const [key, { deployment: d, endedAt }] of this.byKey) {
      if (!d.isActive && now - (endedAt ?? d.finishedAt?.getTime() ?? now) >= this.options.retentionMs) this.remove(key);
    }
  }

  private evictOverflow(): void {
    for (const [key, { deployment }] of this.byKey) {
      if (this.byKey.size <= this.options.maxDeployments) return;
      if (!deployment.isActive) this.remove(key);
    }
  }

  private remove(key: string): void {
    const removed = this.byKey.get(key);
    this.byKey.delete(key);
    this.watchers.delete(key);
    if (removed) this.aliases.delete(removed.deployment.id);
  }
}
