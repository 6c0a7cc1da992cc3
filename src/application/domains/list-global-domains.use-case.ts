import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuDomains } from '../../ports/dokku-domains.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type ListGlobalDomainsError = AccessDenied | HostUnreachable;

/** The host's global domains (apps get `<app>.<global domain>` by default). */
@injectable()
export class ListGlobalDomains {
  constructor(
    @inject(DokkuDomains) private readonly domains: DokkuDomains,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller): Promise<string[]> {
    // Host-wide: not one tenant's business.
    this.access.require(caller, 'admin', 'list_global_domains');
    return this.domains.listGlobal();
  }
}
