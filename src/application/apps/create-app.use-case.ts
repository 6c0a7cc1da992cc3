import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { AppAlreadyExists, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';

export type CreateAppError = InvalidArgument | AppAlreadyExists | HostUnreachable;

/** Creates an empty app, ready for deploy_app. */
@injectable()
export class CreateApp {
  constructor(@inject(DokkuApps) private readonly apps: DokkuApps) {}

  async execute(input: { appName: string }): Promise<AppName> {
    const app = AppName.of(input.appName);
    await this.apps.create(app);
    return app;
  }
}
