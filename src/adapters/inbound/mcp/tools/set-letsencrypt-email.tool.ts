import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { SetLetsencryptEmail } from '../../../../application/letsencrypt/set-letsencrypt-email.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField, appOut } from './fields.js';

const input = { app_name: appNameField, email: z.string().describe('Address for the certificate (expiry notices go there)') };
const output = { app_name: appOut, email: z.string().describe('Now set') };

@injectable()
export class SetLetsencryptEmailTool implements McpTool<typeof input, typeof output> {
  readonly name = 'set_letsencrypt_email';
  readonly title = 'Set Let\'s Encrypt email';
  readonly description = 'Sets the email the app\'s certificates are registered under (needed before enable_letsencrypt).';
  readonly kind = 'mutating';
  readonly toolset = 'letsencrypt';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(SetLetsencryptEmail) private readonly setEmail: SetLetsencryptEmail) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const set = await this.setEmail.execute(caller, { appName: args.app_name, email: args.email });
    return result({ app_name: set.appName, email: set.email });
  }
}
