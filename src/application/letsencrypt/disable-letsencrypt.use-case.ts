import { inject, injectable } from 'inversify';
import type { AppName } from '../../domain/app-name.js';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import type { PluginNotInstalled } from '../../domain/service.js';
import { DokkuLetsencrypt } from '../../ports/dokku-letsencrypt.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { InstalledPlugins } from '../services/installed-plugins.js';

export type DisableLetsencryptError = InvalidArgument | AccessDenied | AppNotFound | PluginNotInstalled | HostUnreachable;

/** Removes the app's Let's Encrypt certificate: it is served over plain HTTP again. Confirmation is the adapter's duty. */
@injectable()
export class DisableLetsencrypt {
  constructor(
    @inject(DokkuLetsencrypt) private readonly letsencrypt: DokkuLetsencrypt,
    @inject(InstalledPlugins) private readonly plugins: InstalledPlugins,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string }): Promise<AppName> {
    const app = this.access.app(caller, input.appName, 'write', 'disable_letsencrypt');
    await this.plugins.require('letsencrypt');
    await this.letsencrypt.disable(app);
    return app;
  }
}
