/** The outcome of a claim: admitted, or refused with how many live sessions the group already holds. */
export type PresenceClaim = { readonly ok: true } | { readonly ok: false; readonly held: number };

/**
 * Live sessions counted per group (a tenant), for a cap that holds across every instance sharing the store. A claim
 * made here is kept alive by this instance while the session lasts: in a shared store (Redis) each entry carries an
 * expiry (store.lease_ttl_ms) that the instance renews, so the share of an instance that died disappears by itself.
 */
export const SessionPresence = Symbol('SessionPresence');
export interface SessionPresence {
  /**
   * Counts session `id` in `group` when fewer than `max` live sessions are there (one already counted is admitted
   * again). Throws StateStoreUnavailable when the shared store does not answer.
   */
  claim(group: string, id: string, max: number): Promise<PresenceClaim>;
  /** Stops counting it (and renewing it). Never throws: an entry that could not be removed expires by itself. */
  release(group: string, id: string): Promise<void>;
  /** Live sessions in `group`, every instance's. Throws StateStoreUnavailable when the shared store does not answer. */
  count(group: string): Promise<number>;
}
