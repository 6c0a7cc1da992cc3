import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuApps, type AppStatus } from '../../ports/dokku-apps.port.js';

export type GetAppStatusError = InvalidArgument | AppNotFound | HostUnreachable;

/** Whether an app is deployed and running, its processes, scale and URLs. */
@injectable()
export class GetAppStatus {
  constructor(@inject(DokkuApps) private readonly apps: DokkuApps) {}

  async execute(input: { appName: string }): Promise<AppStatus> {
    return this.apps.status(AppName.of(input.appName));
  }
}
