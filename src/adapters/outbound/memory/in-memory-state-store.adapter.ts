import type { StateStore, StateStoreHealth } from '../../../ports/state-store.port.js';

/** store.type: memory: the state is this process's, always at hand. */
export class InMemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;

  async health(): Promise<StateStoreHealth> {
    return { ok: true };
  }
}
