import { inject, injectable } from 'inversify';
import type { HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuDomains } from '../../ports/dokku-domains.port.js';

export type ListGlobalDomainsError = HostUnreachable;

/** The host's global domains (apps get `<app>.<global domain>` by default). */
@injectable()
export class ListGlobalDomains {
  constructor(@inject(DokkuDomains) private readonly domains: DokkuDomains) {}

  async execute(): Promise<string[]> {
    return this.domains.listGlobal();
  }
}
