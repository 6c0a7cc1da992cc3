import type { SessionPresence } from '../../ports/session-presence.port.js';

/** A place taken in a presence group (give it back with `release`, idempotent), or how many the group already holds. */
export type PresenceSeat = { readonly ok: true; readonly release: () => void } | { readonly ok: false; readonly held: number };

/**
 * Takes one of the `max` places of `group` for `id` through SessionPresence — with a shared store, one atomic claim for
 * every instance together, renewed while held and expiring with an instance that died. Throws StateStoreUnavailable
 * when the shared store does not answer. Used for the sessions and the live-log subscriptions of a tenant.
 */
export async function takePresenceSeat(presence: SessionPresence, group: string, id: string, max: number): Promise<PresenceSeat> {
  const claim = await presence.claim(group, id, max);
  if (!claim.ok) return claim;
  let released = false;
  return {
    ok: true,
    release: () => {
      if (released) return;
      released = true;
      void presence.release(group, id);
    },
  };
}
