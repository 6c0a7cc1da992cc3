import { inject, injectable } from 'inversify';
import type { AppName } from '../../domain/app-name.js';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, AppAlreadyExists, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type CreateAppError = InvalidArgument | AccessDenied | AppAlreadyExists | HostUnreachable;

/** Creates an empty app, ready for deploy_app; a tenant's caller only inside its tenant's name patterns. */
@injectable()
export class CreateApp {
  constructor(
    @inject(DokkuApps) private readonly apps: DokkuApps,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string }): Promise<AppName> {
    const app = this.access.creatable(caller, input.appName);
    await this.apps.create(app);
    return app;
  }
}
