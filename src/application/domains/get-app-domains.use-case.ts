import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuDomains, type AppDomains } from '../../ports/dokku-domains.port.js';

export type GetAppDomainsError = InvalidArgument | AppNotFound | HostUnreachable;

/** The app's domains and the global ones. */
@injectable()
export class GetAppDomains {
  constructor(@inject(DokkuDomains) private readonly domains: DokkuDomains) {}

  async execute(input: { appName: string }): Promise<AppDomains> {
    return this.domains.ofApp(AppName.of(input.appName));
  }
}
