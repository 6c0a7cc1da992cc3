import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import type { InvalidArgument } from '../../domain/domain-errors.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type ListDeploymentsError = InvalidArgument;

/**
 * Known deployments of the apps the caller sees, newest first, optionally of one app and/or only those still running.
 * Another tenant's app simply has none here, as an app that was never deployed.
 */
@injectable()
export class ListDeployments {
  constructor(
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  execute(caller: Caller, input: { appName?: string; activeOnly?: boolean } = {}): Deployment[] {
    const app = input.appName === undefined ? undefined : AppName.of(input.appName).value;
    return this.store.list({ app, activeOnly: input.activeOnly ?? false }).filter((d) => this.access.sees(caller, d.app.value));
  }
}
