import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import type { PluginNotInstalled, ServiceAlreadyExists } from '../../domain/service.js';
import { DokkuServices } from '../../ports/dokku-services.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { InstalledPlugins } from './installed-plugins.js';
import { serviceView, type ServiceView } from './service-view.js';

export type CreateServiceError = InvalidArgument | AccessDenied | PluginNotInstalled | ServiceAlreadyExists | HostUnreachable;

/** Creates a datastore service (the plugin pulls its image and starts the container); its DSN comes back masked. */
@injectable()
export class CreateService {
  constructor(
    @inject(DokkuServices) private readonly services: DokkuServices,
    @inject(InstalledPlugins) private readonly plugins: InstalledPlugins,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { serviceType: string; serviceName: string }): Promise<ServiceView> {
    const service = this.access.creatableService(caller, input.serviceType, input.serviceName);
    await this.plugins.require(service.type);
    await this.services.create(service);
    return serviceView(await this.services.info(service), (app) => this.access.sees(caller, app));
  }
}
