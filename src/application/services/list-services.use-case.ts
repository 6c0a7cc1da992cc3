import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { SERVICE_TYPES, serviceType, ServiceName, ServiceNotFound, type PluginNotInstalled, type ServiceType } from '../../domain/service.js';
import { DokkuServices } from '../../ports/dokku-services.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { InstalledPlugins } from './installed-plugins.js';

export type ListServicesError = InvalidArgument | AccessDenied | PluginNotInstalled | HostUnreachable;

export interface ServiceSummary {
  readonly type: ServiceType;
  readonly name: string;
  readonly status: string;
  readonly links: readonly string[];
}

/**
 * The caller's datastore services, of one type or of every installed one. `<type>:list` prints names only, so each
 * service's status and links come from its `<type>:info` (asked in parallel).
 */
@injectable()
export class ListServices {
  constructor(
    @inject(DokkuServices) private readonly services: DokkuServices,
    @inject(InstalledPlugins) private readonly plugins: InstalledPlugins,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { serviceType?: string }): Promise<{ services: ServiceSummary[]; notInstalled: ServiceType[] }> {
    const only = input.serviceType === undefined ? undefined : serviceType(input.serviceType);
    this.access.require(caller, 'read', 'list_services');
    const installed = await this.plugins.serviceTypes();
    if (only) await this.plugins.require(only);
    const types = only ? [only] : installed;
    const names = await Promise.all(types.map(async (type) => (await this.services.list(type)).map((name) => ({ type, name }))));
    const visible = names.flat().filter(({ name }) => ServiceName.isValid(name) && this.access.sees(caller, name));
    const summaries = await Promise.all(visible.map(({ type, name }) => this.summary(caller, type, name)));
    return {
      services: summaries.filter((s): s is ServiceSummary => s !== undefined),
      notInstalled: only ? [] : SERVICE_TYPES.filter((t) => !installed.includes(t)),
    };
  }

  private async summary(caller: Caller, type: ServiceType, name: string): Promise<ServiceSummary | undefined> {
    try {
      const info = await this.services.info({ type, name: ServiceName.of(name) });
      return { type, name, status: info.status, links: info.links.filter((app) => this.access.sees(caller, app)) };
    } catch (error) {
      if (error instanceof ServiceNotFound) return undefined; // destroyed meanwhile
      throw error;
    }
  }
}
