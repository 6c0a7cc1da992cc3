import { inject, injectable } from 'inversify';
import type { AccessDenied, AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { stripAnsi } from '../../domain/log-line.js';
import { DokkuLogs } from '../../ports/dokku-logs.port.js';
import { AppSecrets } from '../config/app-secrets.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export type GetFailedDeployLogsError = InvalidArgument | AccessDenied | AppNotFound | HostUnreachable;

/** Logs of the containers kept from the app's last failed deploy (`logs:failed`), sanitized (the app's config values too). */
@injectable()
export class GetFailedDeployLogs {
  constructor(
    @inject(DokkuLogs) private readonly logs: DokkuLogs,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string }): Promise<{ appName: string; text: string }> {
    const app = this.access.app(caller, input.appName, 'read');
    const [text, sanitizer] = await Promise.all([this.logs.failedDeploy(app), this.secrets.sanitizerFor(app)]);
    return { appName: app.value, text: sanitizer.redactLines(stripAnsi(text).split('\n')).join('\n') };
  }
}
