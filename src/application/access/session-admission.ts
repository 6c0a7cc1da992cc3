import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { AccessLimits } from '../../ports/settings.port.js';

export type SessionTicket = { readonly ok: true; readonly release: () => void } | { readonly ok: false; readonly message: string };

/**
 * The cap on concurrent sessions per tenant (auth.max_sessions_per_tenant), for transports that open many (HTTP): a
 * session takes a place when it opens and gives it back when it ends. A caller without a tenant (an operator's token,
 * or no tokens configured) is not capped here; the rate limit still applies to it.
 */
@injectable()
export class SessionAdmission {
  private readonly open = new Map<string, number>();

  constructor(@inject(AccessLimits) private readonly limits: AccessLimits) {}

  admit(caller: Caller): SessionTicket {
    const tenant = caller.tenant;
    if (tenant === null) return { ok: true, release: () => undefined };
    const held = this.open.get(tenant) ?? 0;
    const max = this.limits.maxSessionsPerTenant;
    if (held >= max) {
      return {
        ok: false,
        message: `Tenant "${tenant}" already has ${held} open sessions, the most this server allows (auth.max_sessions_per_tenant is ${max}). Close one (DELETE it, or end its client) and try again.`,
      };
    }
    this.open.set(tenant, held + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.open.get(tenant) ?? 1) - 1;
        if (left > 0) this.open.set(tenant, left);
        else this.open.delete(tenant);
      },
    };
  }

  /** Sessions open per tenant (for diagnostics and tests). */
  openSessions(tenant: string): number {
    return this.open.get(tenant) ?? 0;
  }
}
