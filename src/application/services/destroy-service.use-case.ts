import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { Conflict, type AccessDenied, type HostUnreachable, type InvalidArgument } from '../../domain/domain-errors.js';
import { describeService, type PluginNotInstalled, type ServiceNotFound, type ServiceRef } from '../../domain/service.js';
import { DokkuServices } from '../../ports/dokku-services.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { InstalledPlugins } from './installed-plugins.js';

export type DestroyServiceError = InvalidArgument | AccessDenied | PluginNotInstalled | ServiceNotFound | Conflict | HostUnreachable;

/**
 * Deletes a service with its data. Refused while any app is linked to it (naming the apps the caller may see), as the
 * plugin itself refuses; confirmation is the inbound adapter's duty.
 */
@injectable()
export class DestroyService {
  constructor(
    @inject(DokkuServices) private readonly services: DokkuServices,
    @inject(InstalledPlugins) private readonly plugins: InstalledPlugins,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { serviceType: string; serviceName: string }): Promise<ServiceRef> {
    const service = this.access.service(caller, input.serviceType, input.serviceName, 'write', 'destroy_service');
    await this.plugins.require(service.type);
    const { links } = await this.services.info(service);
    if (links.length > 0) {
      const named = links.filter((app) => this.access.sees(caller, app));
      const others = links.length - named.length;
      const list = [...named.map((app) => `"${app}"`), ...(others ? [`${others} app${others > 1 ? 's' : ''} of another tenant`] : [])].join(', ');
      throw new Conflict(
        `${describeService(service)} is linked to ${list}; a linked service cannot be destroyed, and nothing was destroyed.`,
        named.length
          ? `Unlink it first (unlink_service for ${named.map((app) => `"${app}"`).join(', ')}), then destroy it.`
          : 'Ask the operator of this server to unlink it first.',
      );
    }
    await this.services.destroy(service);
    return service;
  }
}
