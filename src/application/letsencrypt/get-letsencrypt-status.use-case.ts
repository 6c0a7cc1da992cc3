import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import type { PluginNotInstalled } from '../../domain/service.js';
import { DokkuLetsencrypt, type LetsencryptStatus } from '../../ports/dokku-letsencrypt.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { InstalledPlugins } from '../services/installed-plugins.js';

export type GetLetsencryptStatusError = InvalidArgument | AccessDenied | AppNotFound | PluginNotInstalled | HostUnreachable;

/** Whether the app serves a Let's Encrypt certificate, until when, under which email, and whether auto-renew is on. */
@injectable()
export class GetLetsencryptStatus {
  constructor(
    @inject(DokkuLetsencrypt) private readonly letsencrypt: DokkuLetsencrypt,
    @inject(InstalledPlugins) private readonly plugins: InstalledPlugins,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string }): Promise<{ appName: string } & LetsencryptStatus> {
    const app = this.access.app(caller, input.appName, 'read');
    await this.plugins.require('letsencrypt');
    return { appName: app.value, ...(await this.letsencrypt.status(app)) };
  }
}
