import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { AppNotFound, HostUnreachable, InvalidArgument, NotDeployed } from '../../domain/domain-errors.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';

export type StopAppError = InvalidArgument | AppNotFound | NotDeployed | HostUnreachable;

/** Stops the app's containers (`ps:stop`); start_app brings them back. */
@injectable()
export class StopApp {
  constructor(@inject(DokkuApps) private readonly apps: DokkuApps) {}

  async execute(input: { appName: string }): Promise<AppName> {
    const app = AppName.of(input.appName);
    await this.apps.stop(app);
    return app;
  }
}
