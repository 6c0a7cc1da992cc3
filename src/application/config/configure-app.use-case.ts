import { inject, injectable } from 'inversify';
import type { Deployment } from '../../domain/deployment.js';
import { EnvKey, EnvValue } from '../../domain/dokku-values.js';
import { InvalidArgument, type AppNotFound, type DeploymentAlreadyRunning, type HostUnreachable, type AccessDenied } from '../../domain/domain-errors.js';
import { DokkuConfig } from '../../ports/dokku-config.port.js';
import { DeploymentRunner } from '../deployments/deployment-runner.js';
import { AppSecrets } from './app-secrets.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export type ConfigureAppError = InvalidArgument | AccessDenied | AppNotFound | DeploymentAlreadyRunning | HostUnreachable;
export type ConfigChangeResult = { restarted: false; keys: string[] } | { restarted: true; keys: string[]; deployment: Deployment };

/** Sets environment variables. With restart (the default) Dokku redeploys, tracked as a deployment. */
@injectable()
export class ConfigureApp {
  constructor(
    @inject(DokkuConfig) private readonly config: DokkuConfig,
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string; vars: Record<string, string>; restart?: boolean }): Promise<ConfigChangeResult> {
    const app = this.access.app(caller, input.appName, 'write');
    const entries = Object.entries(input.vars ?? {});
    if (entries.length === 0) throw new InvalidArgument('vars', 'give at least one KEY: value pair, e.g. {"NODE_ENV": "production"}');
    const vars = entries.map(([k, v]) => [EnvKey.of(k, `vars.${k}`), EnvValue.of(v, `vars.${k}`)] as const);
    const keys = vars.map(([k]) => k.value);
    // Before the change reaches the host: from now on the app's output is redacted of these values too.
    this.secrets.learn(app, Object.fromEntries(vars.map(([k, v]) => [k.value, v.value])));
    if (input.restart === false) {
      await this.config.setWithoutRestart(app, vars);
      return { restarted: false, keys };
    }
    // Dokku echoes every value it sets: redact them all in this deployment's log, whatever they look like.
    const deployment = await this.runner.start({
      operation: { kind: 'config_set', app, vars },
      kind: 'config_change',
      secrets: vars.map(([, v]) => v.value),
      secretKeys: keys,
    });
    return { restarted: true, keys, deployment };
  }
}
