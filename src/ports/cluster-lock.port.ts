/** A lock held: `release` gives it up (never throws); `lost` tells when it was lost before that. */
export interface HeldLock {
  readonly acquired: true;
  /** Gives the lock up if still ours (a lock taken over meanwhile by another holder is left alone). Idempotent. */
  release(): Promise<void>;
  /**
   * Calls `listener` once if the lock is lost while held: its expiry passed without a renewal (the store was
   * unreachable for longer than the lease) or another holder has it now. Whoever relied on it must stop.
   */
  onLost(listener: (reason: string) => void): void;
}

export interface BusyLock {
  readonly acquired: false;
  /** Who holds it (what its holder gave as `holder`, e.g. a deployment id). */
  readonly holder: string;
}

/**
 * Named mutual exclusion across every instance that shares the store ("one deploy per app across the cluster"). In a
 * shared store the lock has an expiry (store.lease_ttl_ms) renewed while held, so a holder that dies frees it by itself.
 */
export const ClusterLock = Symbol('ClusterLock');
export interface ClusterLock {
  /** Takes lock `name` for `holder` unless someone holds it. Throws StateStoreUnavailable when the store does not answer. */
  acquire(name: string, holder: string): Promise<HeldLock | BusyLock>;
  /** Who holds `name` now, or null. Throws StateStoreUnavailable when the store does not answer. */
  holder(name: string): Promise<string | null>;
}
