import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import { DomainName } from '../../domain/dokku-values.js';
import { InvalidArgument, type AppNotFound, type HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuDomains, type AppDomains } from '../../ports/dokku-domains.port.js';

export type RemoveAppDomainError = InvalidArgument | AppNotFound | HostUnreachable;

/** Removes a domain from an app. */
@injectable()
export class RemoveAppDomain {
  constructor(@inject(DokkuDomains) private readonly domains: DokkuDomains) {}

  async execute(input: { appName: string; domain: string }): Promise<AppDomains> {
    const app = AppName.of(input.appName);
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
