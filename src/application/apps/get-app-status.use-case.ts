import { inject, injectable } from 'inversify';
import type { AccessDenied, AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuApps, type AppStatus } from '../../ports/dokku-apps.port.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export type GetAppStatusError = InvalidArgument | AccessDenied | AppNotFound | HostUnreachable;

/** Whether an app is deployed and running, its processes, scale and URLs. */
@injectable()
export class GetAppStatus {
  constructor(
    @inject(DokkuApps) private readonly apps: DokkuApps,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string }): Promise<AppStatus> {
    return this.apps.status(this.access.app(caller, input.appName, 'read'));
  }
}
