import { inject, injectable } from 'inversify';
import { EnvKey } from '../../domain/dokku-values.js';
import { InvalidArgument, type AppNotFound, type DeploymentAlreadyRunning, type HostUnreachable, type AccessDenied } from '../../domain/domain-errors.js';
import { DokkuConfig } from '../../ports/dokku-config.port.js';
import { DeploymentRunner } from '../deployments/deployment-runner.js';
import { AppSecrets } from './app-secrets.js';
import type { ConfigChangeResult } from './configure-app.use-case.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export type UnsetAppConfigError = InvalidArgument | AccessDenied | AppNotFound | DeploymentAlreadyRunning | HostUnreachable;

/** Removes environment variables. With restart (the default) Dokku redeploys, tracked as a deployment. */
@injectable()
export class UnsetAppConfig {
  constructor(
    @inject(DokkuConfig) private readonly config: DokkuConfig,
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string; keys: string[]; restart?: boolean }): Promise<ConfigChangeResult> {
    const app = this.access.app(caller, input.appName, 'write');
    if (!Array.isArray(input.keys) || input.keys.length === 0) {
      throw new InvalidArgument('keys', 'give at least one config key to unset, e.g. ["OLD_FLAG"]');
    }
    const keys = input.keys.map((k) => EnvKey.of(k, 'keys'));
    const names = keys.map((k) => k.value);
    // Unset values may go on being redacted until the cache is read afresh: harmless, so forget after the change.
    if (input.restart === false) {
      await this.config.unsetWithoutRestart(app, keys);
      this.secrets.forget(app);
      return { restarted: false, keys: names };
    }
    const deployment = await this.runner.start({ operation: { kind: 'config_unset', app, keys }, kind: 'config_change' });
    this.secrets.forget(app);
    return { restarted: true, keys: names, deployment };
  }
}
