import type { AppName } from '../../../domain/app-name.js';
import type { EmailAddress } from '../../../domain/letsencrypt.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import { PluginNotInstalled } from '../../../domain/service.js';
import type { DokkuLetsencrypt, LetsencryptStatus } from '../../../ports/dokku-letsencrypt.port.js';
import { DokkuCommand } from './dokku-command.js';
import { DokkuRunner } from './dokku-runner.js';
import { parseKeyValueBlock } from './plugin-output-parsers.js';
import type { ExecResult } from './ssh-channel.js';
import type { SshConnection } from './ssh-connection.js';
import { dokkuMessage } from './ssh-errors.js';
import { NOT_A_COMMAND } from './ssh-dokku-services.adapter.js';

/** DokkuLetsencrypt over SSH: `letsencrypt:report`, `letsencrypt:set <app> email`, `letsencrypt:disable`. */
export class SshDokkuLetsencrypt implements DokkuLetsencrypt {
  private readonly dokku: DokkuRunner;

  constructor(connection: SshConnection, sanitizer: Sanitizer) {
    this.dokku = new DokkuRunner(connection, sanitizer);
  }

  async status(app: AppName): Promise<LetsencryptStatus> {
    const command = DokkuCommand.of('letsencrypt:report').value(app);
    const { stdout } = await this.run(command, app);
    return this.dokku.parse(command, stdout, parseLetsencryptReport);
  }

  async setEmail(app: AppName, email: EmailAddress): Promise<void> {
    await this.run(DokkuCommand.of('letsencrypt:set').value(app).word('email').value(email), app);
  }

  async disable(app: AppName): Promise<void> {
    await this.run(DokkuCommand.of('letsencrypt:disable').value(app), app);
  }

  private async run(command: DokkuCommand, app: AppName): Promise<ExecResult> {
    const result = await this.dokku.exec(command);
    if (result.code === 0) return result;
    if (NOT_A_COMMAND.test(dokkuMessage(result))) throw new PluginNotInstalled('letsencrypt');
    throw this.dokku.failure(command, result, app);
  }
}

/**
 * The report's "Letsencrypt <key>" rows. The expiration is read only for an active certificate: without one the
 * plugin's `date -d` of an empty string prints today's midnight, not an expiry.
 */
export function parseLetsencryptReport(text: string): LetsencryptStatus {
  const fields = parseKeyValueBlock(text);
  if (fields['letsencrypt-active'] === undefined) throw new Error('no "Letsencrypt active" row');
  const active = fields['letsencrypt-active'] === 'true';
  const email = fields['letsencrypt-computed-email'] || fields['letsencrypt-email'] || fields['letsencrypt-global-email'] || null;
  const expiry = fields['letsencrypt-expiration'];
  const autoRenew = fields['letsencrypt-autorenew'];
  return {
    active,
    email,
    expiresAt: active && expiry && /^\d+$/.test(expiry) ? new Date(Number(expiry) * 1000).toISOString() : null,
    autoRenew: autoRenew === 'true' ? true : autoRenew === 'false' ? false : null,
  };
}
