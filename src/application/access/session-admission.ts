import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { SessionPresence } from '../../ports/session-presence.port.js';
import { AccessLimits } from '../../ports/settings.port.js';
import { takePresenceSeat } from './presence-seat.js';

export type SessionTicket = { readonly ok: true; readonly release: () => void } | { readonly ok: false; readonly message: string };

/**
 * The cap on concurrent sessions per tenant (auth.max_sessions_per_tenant), for transports that open many (HTTP): a
 * session takes a place when it opens and gives it back when it ends. The places are counted by SessionPresence, so
 * with a shared store the cap holds for every instance together. A caller without a tenant (an operator's token, or
 * no tokens configured) is not capped here; the rate limit still applies to it.
 */
@injectable()
export class SessionAdmission {
  constructor(
    @inject(AccessLimits) private readonly limits: AccessLimits,
    @inject(SessionPresence) private readonly presence: SessionPresence,
  ) {}

  /** The session's place, or why there is none. Throws StateStoreUnavailable when the shared store does not answer. */
  async admit(caller: Caller): Promise<SessionTicket> {
    const tenant = caller.tenant;
    if (tenant === null) return { ok: true, release: () => undefined };
    const max = this.limits.maxSessionsPerTenant;
    const seat = await takePresenceSeat(this.presence, tenant, caller.sessionId, max);
    if (seat.ok) return seat;
    return {
      ok: false,
      message: `Tenant "${tenant}" already has ${seat.held} open sessions, the most this server allows (auth.max_sessions_per_tenant is ${max}). Close one (DELETE it, or end its client) and try again.`,
    };
  }

  /** Sessions open per tenant, on every instance (for diagnostics and tests). */
  openSessions(tenant: string): Promise<number> {
    return this.presence.count(tenant);
  }
}
