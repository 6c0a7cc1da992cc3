import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { DomainName } from '../../domain/dokku-values.js';
import type { AccessDenied, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuDomains } from '../../ports/dokku-domains.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type AddGlobalDomainError = AccessDenied | InvalidArgument | HostUnreachable;

/** Adds a global domain. */
@injectable()
export class AddGlobalDomain {
  constructor(
    @inject(DokkuDomains) private readonly domains: DokkuDomains,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { domain: string }): Promise<string[]> {
    // Host-wide: not one tenant's business.
    this.access.require(caller, 'admin', 'add_global_domain');
    const domain = DomainName.of(input.domain);
    await this.domains.addGlobal(domain);
    return this.domains.listGlobal();
  }
}
