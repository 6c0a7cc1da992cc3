import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { AppNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { stripAnsi } from '../../domain/log-line.js';
import { Sanitizer } from '../../domain/sanitizer.js';
import { DokkuLogs } from '../../ports/dokku-logs.port.js';

export type GetFailedDeployLogsError = InvalidArgument | AppNotFound | HostUnreachable;

/** Logs of the containers kept from the app's last failed deploy (`logs:failed`), sanitized. */
@injectable()
export class GetFailedDeployLogs {
  constructor(
    @inject(DokkuLogs) private readonly logs: DokkuLogs,
    @inject(Sanitizer) private readonly sanitizer: Sanitizer,
  ) {}

  async execute(input: { appName: string }): Promise<{ appName: string; text: string }> {
    const app = AppName.of(input.appName);
    const text = await this.logs.failedDeploy(app);
    return { appName: app.value, text: this.sanitizer.redact(stripAnsi(text)) };
  }
}
