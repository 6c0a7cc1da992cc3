import type { BusyLock, ClusterLock, HeldLock } from '../../../ports/cluster-lock.port.js';

/**
 * Locks in this process's memory (store.type: memory): the process is the whole cluster, so a lock lasts until it is
 * released (or the process ends) and is never lost.
 */
export class InMemoryClusterLock implements ClusterLock {
  private readonly held = new Map<string, { holder: string; ticket: symbol }>();

  async acquire(name: string, holder: string): Promise<HeldLock | BusyLock> {
    const current = this.held.get(name);
    if (current) return { acquired: false, holder: current.holder };
    const ticket = Symbol(name);
    this.held.set(name, { holder, ticket });
    return {
      acquired: true,
      release: async () => {
        if (this.held.get(name)?.ticket === ticket) this.held.delete(name);
      },
      onLost: () => undefined,
    };
  }

  async holder(name: string): Promise<string | null> {
    return this.held.get(name)?.holder ?? null;
  }
}
