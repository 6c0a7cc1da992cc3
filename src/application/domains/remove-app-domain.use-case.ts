import { inject, injectable } from 'inversify';
import { DomainName } from '../../domain/dokku-values.js';
import { InvalidArgument, type AppNotFound, type HostUnreachable, type AccessDenied } from '../../domain/domain-errors.js';
import { DokkuDomains, type AppDomains } from '../../ports/dokku-domains.port.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export type RemoveAppDomainError = InvalidArgument | AccessDenied | AppNotFound | HostUnreachable;

/** Removes a domain from an app. */
@injectable()
export class RemoveAppDomain {
  constructor(
    @inject(DokkuDomains) private readonly domains: DokkuDomains,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string; domain: string }): Promise<AppDomains> {
    const app = this.access.app(caller, input.appName, 'write');
    const domain = DomainName.of(input.domain);
    const current = await this.domains.ofApp(app);
    if (!current.domains.includes(domain.value)) {
      throw new InvalidArgument('domain', `${domain.value} is not a domain of app "${app.value}" (it has: ${current.domains.join(', ') || 'none'})`,
        'Call get_app_domains to see the app\'s domains.');
    }
    await this.domains.remove(app, domain);
    return this.domains.ofApp(app);
  }
}
