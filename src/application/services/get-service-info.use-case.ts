import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import type { PluginNotInstalled, ServiceNotFound } from '../../domain/service.js';
import { DokkuServices } from '../../ports/dokku-services.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { InstalledPlugins } from './installed-plugins.js';
import { serviceView, type ServiceView } from './service-view.js';

export type GetServiceInfoError = InvalidArgument | AccessDenied | PluginNotInstalled | ServiceNotFound | HostUnreachable;

/** A service's status, version, links and DSN; the DSN's password masked unless revealed (which needs the write scope). */
@injectable()
export class GetServiceInfo {
  constructor(
    @inject(DokkuServices) private readonly services: DokkuServices,
    @inject(InstalledPlugins) private readonly plugins: InstalledPlugins,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { serviceType: string; serviceName: string; reveal?: boolean }): Promise<ServiceView> {
    const reveal = input.reveal === true;
    // Revealing sends a credential to the client: a change of exposure, so it needs what a change needs (as get_app_config).
    const service = this.access.service(caller, input.serviceType, input.serviceName, reveal ? 'write' : 'read', reveal ? 'reveal: true' : 'get_service_info');
    await this.plugins.require(service.type);
    return serviceView(await this.services.info(service), (app) => this.access.sees(caller, app), reveal);
  }
}
