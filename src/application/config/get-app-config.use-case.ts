import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DokkuConfig } from '../../ports/dokku-config.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export const MASK = '********';
export type GetAppConfigError = InvalidArgument | AccessDenied | AppNotFound | HostUnreachable;

/** The app's environment; values masked unless the caller asked to reveal them (which needs the write scope). */
@injectable()
export class GetAppConfig {
  constructor(
    @inject(DokkuConfig) private readonly config: DokkuConfig,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string; reveal?: boolean }): Promise<{ appName: string; revealed: boolean; vars: Record<string, string> }> {
    // Revealing sends secrets to the client: a change of exposure, so it needs what a change needs.
    const app = this.access.app(caller, input.appName, input.reveal === true ? 'write' : 'read', input.reveal === true ? 'reveal: true' : 'get_app_config');
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
