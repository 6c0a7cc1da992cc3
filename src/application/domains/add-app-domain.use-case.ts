import { inject, injectable } from 'inversify';
import { DomainName } from '../../domain/dokku-values.js';
import { Conflict, type AppNotFound, type HostUnreachable, type InvalidArgument, type AccessDenied } from '../../domain/domain-errors.js';
import { DokkuDomains, type AppDomains } from '../../ports/dokku-domains.port.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export type AddAppDomainError = InvalidArgument | AccessDenied | AppNotFound | Conflict | HostUnreachable;

/** Adds a domain to an app; a domain another app already serves is refused (it would take that app's traffic). */
@injectable()
export class AddAppDomain {
  constructor(
    @inject(DokkuDomains) private readonly domains: DokkuDomains,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string; domain: string }): Promise<AppDomains> {
    const app = this.access.app(caller, input.appName, 'write');
    const domain = DomainName.of(input.domain);
    const owner = (await this.domains.allApps()).find((a) => a.app !== app.value && a.domains.includes(domain.value));
    // The holder is named only to a caller who sees it: another tenant's app stays unnamed (and unconfirmed).
    if (owner && this.access.sees(caller, owner.app)) {
      throw new Conflict(
        `Domain ${domain.value} is already attached to app "${owner.app}".`,
        `Remove it from "${owner.app}" first (remove_app_domain), or choose another domain.`,
      );
    }
    if (owner) {
      throw new Conflict(`Domain ${domain.value} is already attached to another app on this host.`, 'Choose another domain, or ask the operator of this server.');
    }
    await this.domains.add(app, domain);
    return this.domains.ofApp(app);
  }
}
