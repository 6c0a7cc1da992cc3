import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuConfig } from '../../ports/dokku-config.port.js';

export const MASK = '********';
export type GetAppConfigError = InvalidArgument | AppNotFound | HostUnreachable;

/** The app's environment; values masked unless the caller asked to reveal them. */
@injectable()
export class GetAppConfig {
  constructor(@inject(DokkuConfig) private readonly config: DokkuConfig) {}

  async execute(input: { appName: string; reveal?: boolean }): Promise<{ appName: string; revealed: boolean; vars: Record<string, string> }> {
    const app = AppName.of(input.appName);
    const vars = await this.config.get(app);
    const revealed = input.reveal === true;
    const shown = Object.fromEntries(
      Object.keys(vars)
        .sort()
        .map((key) => [key, revealed ? (vars[key] as string) : MASK]),
    );
    return { appName: app.value, revealed, vars: shown };
  }
}
