import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import { Conflict, type AccessDenied, type AppNotFound, type DeploymentAlreadyRunning, type HostUnreachable, type InvalidArgument } from '../../domain/domain-errors.js';
import type { PluginNotInstalled } from '../../domain/service.js';
import { DokkuLetsencrypt } from '../../ports/dokku-letsencrypt.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { DeploymentRunner } from '../deployments/deployment-runner.js';
import { InstalledPlugins } from '../services/installed-plugins.js';

export type EnableLetsencryptError =
  | InvalidArgument | AccessDenied | AppNotFound | PluginNotInstalled | Conflict | DeploymentAlreadyRunning | HostUnreachable;

/**
 * Requests and installs a certificate (`letsencrypt:enable`): the proxy is reconfigured and reloaded, so it runs as a
 * tracked deployment; returns at once. Refused, before anything runs, while no email address is set: Let's Encrypt
 * registers every certificate under one, and the plugin would only fail.
 */
@injectable()
export class EnableLetsencrypt {
  constructor(
    @inject(DokkuLetsencrypt) private readonly letsencrypt: DokkuLetsencrypt,
    @inject(InstalledPlugins) private readonly plugins: InstalledPlugins,
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string }): Promise<Deployment> {
    const app = this.access.app(caller, input.appName, 'write', 'enable_letsencrypt');
    await this.plugins.require('letsencrypt');
    const { email } = await this.letsencrypt.status(app);
    if (email === null) {
      throw new Conflict(
        `Let's Encrypt needs an email address to register the certificate of "${app.value}" under, and none is set (for the app or globally); nothing was run.`,
        `Ask the user for the address, call set_letsencrypt_email("${app.value}", email), then enable_letsencrypt again.`,
      );
    }
    return this.runner.start({ operation: { kind: 'letsencrypt_enable', app }, kind: 'letsencrypt' });
  }
}
