import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import { DomainName } from '../../domain/dokku-values.js';
import { Conflict, type AppNotFound, type HostUnreachable, type InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuDomains, type AppDomains } from '../../ports/dokku-domains.port.js';

export type AddAppDomainError = InvalidArgument | AppNotFound | Conflict | HostUnreachable;

/** Adds a domain to an app; a domain another app already serves is refused (it would take that app's traffic). */
@injectable()
export class AddAppDomain {
  constructor(@inject(DokkuDomains) private readonly domains: DokkuDomains) {}

  async execute(input: { appName: string; domain: string }): Promise<AppDomains> {
    const app = AppName.of(input.appName);
    const domain = DomainName.of(input.domain);
    const owner = (await this.domains.allApps()).find((a) => a.app !== app.value && a.domains.includes(domain.value));
    if (owner) {
      throw new Conflict(
        `Domain ${domain.value} is already attached to app "${owner.app}".`,
        `Remove it from "${owner.app}" first (remove_app_domain), or choose another domain.`,
      );
    }
    await this.domains.add(app, domain);
    return this.domains.ofApp(app);
  }
}
