import { inject, injectable } from 'inversify';
import type { AppName } from '../../domain/app-name.js';
import type { AccessDenied, AppNotFound, HostUnreachable, InvalidArgument, NotDeployed } from '../../domain/domain-errors.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';
import { ContainerChanges } from '../logs/container-changes.js';

export type StopAppError = InvalidArgument | AccessDenied | AppNotFound | NotDeployed | HostUnreachable;

/** Stops the app's containers (`ps:stop`); start_app brings them back. */
@injectable()
export class StopApp {
  constructor(
    @inject(DokkuApps) private readonly apps: DokkuApps,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(ContainerChanges) private readonly containers: ContainerChanges,
  ) {}

  async execute(caller: Caller, input: { appName: string }): Promise<AppName> {
    const app = this.access.app(caller, input.appName, 'write');
    await this.apps.stop(app);
    this.containers.replaced(app, 'stopped');
    return app;
  }
}
