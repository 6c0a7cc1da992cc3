import { inject, injectable } from 'inversify';
import { PluginNotInstalled, SERVICE_TYPES, type ServiceType } from '../../domain/service.js';
import { DokkuServer } from '../../ports/dokku-server.port.js';

/**
 * Which of the plugins these tools drive the host has installed and enabled (`plugin:list`), asked afresh each time: an
 * operator may install one while the server runs. A missing one is refused before any of its commands is sent.
 */
@injectable()
export class InstalledPlugins {
  constructor(@inject(DokkuServer) private readonly server: DokkuServer) {}

  /** The datastore types whose plugin is installed and enabled, in SERVICE_TYPES order. */
  async serviceTypes(): Promise<ServiceType[]> {
    const enabled = await this.enabled();
    return SERVICE_TYPES.filter((type) => enabled.has(type));
  }

  /** Throws PluginNotInstalled unless the plugin is installed and enabled. */
  async require(plugin: ServiceType | 'letsencrypt'): Promise<void> {
    if (!(await this.enabled()).has(plugin)) throw new PluginNotInstalled(plugin);
  }

  private async enabled(): Promise<Set<string>> {
    const { plugins } = await this.server.info();
    return new Set(plugins.filter((p) => p.enabled).map((p) => p.name));
  }
}
