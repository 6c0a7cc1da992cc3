import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetLetsencryptStatus } from '../../../../application/letsencrypt/get-letsencrypt-status.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField, appOut } from './fields.js';

const input = { app_name: appNameField };
const output = {
  app_name: appOut,
  active: z.boolean().describe('Serves a Let\'s Encrypt certificate'),
  expires_at: z.string().nullable().describe('ISO 8601; null if not active'),
  email: z.string().nullable().describe('Address certificates are registered under; null: none set'),
  auto_renew: z.boolean().nullable().describe('The host\'s daily auto-renew job is on (null: unknown)'),
};

@injectable()
export class GetLetsencryptStatusTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_letsencrypt_status';
  readonly title = 'Get Let\'s Encrypt status';
  readonly description = 'Whether the app has a Let\'s Encrypt certificate, its expiry, the email in use, and host auto-renewal.';
  readonly kind = 'read';
  readonly toolset = 'letsencrypt';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetLetsencryptStatus) private readonly getStatus: GetLetsencryptStatus) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const status = await this.getStatus.execute(caller, { appName: args.app_name });
    return result({ app_name: status.appName, active: status.active, expires_at: status.expiresAt, email: status.email, auto_renew: status.autoRenew });
  }
}
