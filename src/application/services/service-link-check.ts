import { inject, injectable } from 'inversify';
import type { AppName } from '../../domain/app-name.js';
import type { Caller } from '../../domain/caller.js';
import { dsnPassword, type ServiceRef } from '../../domain/service.js';
import { DokkuServices, type ServiceInfo } from '../../ports/dokku-services.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { InstalledPlugins } from './installed-plugins.js';

/** What linking and unlinking check first: the caller's own app and service, the plugin, the service itself. */
@injectable()
export class ServiceLinkCheck {
  constructor(
    @inject(DokkuServices) private readonly services: DokkuServices,
    @inject(InstalledPlugins) private readonly plugins: InstalledPlugins,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  /** The app and service the caller may link (write scope on both); the service's info; secrets its output may echo. */
  async resolve(
    caller: Caller,
    input: { serviceType: string; serviceName: string; appName: string },
    what: string,
  ): Promise<{ app: AppName; service: ServiceRef; info: ServiceInfo; secrets: string[] }> {
    const app = this.access.app(caller, input.appName, 'write', what);
    const service = this.access.service(caller, input.serviceType, input.serviceName, 'write', what);
    await this.plugins.require(service.type);
    const info = await this.services.info(service);
    const password = dsnPassword(info.dsn);
    return { app, service, info, secrets: password ? [password, info.dsn] : [info.dsn] };
  }
}
