import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { DisableLetsencrypt } from '../../../../application/letsencrypt/disable-letsencrypt.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField, appOut } from './fields.js';

const input = { app_name: appNameField };
const output = { app_name: appOut, disabled: z.boolean().describe('True: no certificate, plain HTTP') };

@injectable()
export class DisableLetsencryptTool implements McpTool<typeof input, typeof output> {
  readonly name = 'disable_letsencrypt';
  readonly title = 'Disable Let\'s Encrypt';
  readonly description = 'Removes the app\'s Let\'s Encrypt certificate: it is served over plain HTTP again.';
  readonly kind = 'destructive';
  readonly toolset = 'letsencrypt';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(DisableLetsencrypt) private readonly disable: DisableLetsencrypt) {}

  confirmation(args: ToolArgs<typeof input>) {
    return { appName: args.app_name, summary: `Remove the Let's Encrypt certificate of app "${args.app_name}" (it is served over plain HTTP)` };
  }

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const app = await this.disable.execute(caller, { appName: args.app_name });
    return result({ app_name: app.value, disabled: true });
  }
}
