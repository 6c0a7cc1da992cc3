import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { EmailAddress } from '../../domain/letsencrypt.js';
import type { PluginNotInstalled } from '../../domain/service.js';
import { DokkuLetsencrypt } from '../../ports/dokku-letsencrypt.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { InstalledPlugins } from '../services/installed-plugins.js';

export type SetLetsencryptEmailError = InvalidArgument | AccessDenied | AppNotFound | PluginNotInstalled | HostUnreachable;

/** Sets the address the app's certificates are registered under (Let's Encrypt writes to it about expiry). */
@injectable()
export class SetLetsencryptEmail {
  constructor(
    @inject(DokkuLetsencrypt) private readonly letsencrypt: DokkuLetsencrypt,
    @inject(InstalledPlugins) private readonly plugins: InstalledPlugins,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string; email: string }): Promise<{ appName: string; email: string }> {
    const app = this.access.app(caller, input.appName, 'write', 'set_letsencrypt_email');
    const email = EmailAddress.of(input.email);
    await this.plugins.require('letsencrypt');
    await this.letsencrypt.setEmail(app, email);
    return { appName: app.value, email: email.value };
  }
}
