import { inject, injectable } from 'inversify';
import { DomainName } from '../../domain/dokku-values.js';
import type { HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuDomains } from '../../ports/dokku-domains.port.js';

export type AddGlobalDomainError = InvalidArgument | HostUnreachable;

/** Adds a global domain. */
@injectable()
export class AddGlobalDomain {
  constructor(@inject(DokkuDomains) private readonly domains: DokkuDomains) {}

  async execute(input: { domain: string }): Promise<string[]> {
    const domain = DomainName.of(input.domain);
    await this.domains.addGlobal(domain);
    return this.domains.listGlobal();
  }
}
