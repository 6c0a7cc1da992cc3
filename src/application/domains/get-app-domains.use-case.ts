import { inject, injectable } from 'inversify';
import type { AccessDenied, AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuDomains, type AppDomains } from '../../ports/dokku-domains.port.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export type GetAppDomainsError = InvalidArgument | AccessDenied | AppNotFound | HostUnreachable;

/** The app's domains and the global ones. */
@injectable()
export class GetAppDomains {
  constructor(
    @inject(DokkuDomains) private readonly domains: DokkuDomains,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string }): Promise<AppDomains> {
    return this.domains.ofApp(this.access.app(caller, input.appName, 'read'));
  }
}
