export type StateStoreHealth = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Where shared state lives (store.type): this process's memory, or Redis for several instances. Readiness asks it;
 * the state itself is reached through the ports that need it (RateLimiter, SessionPresence, ClusterLock).
 */
export const StateStore = Symbol('StateStore');
export interface StateStore {
  readonly kind: 'memory' | 'redis';
  /** Whether the store answers now; `reason` is the StateStoreUnavailable text when it does not. Never throws. */
  health(): Promise<StateStoreHealth>;
}
