import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetAppConfig } from '../../../../application/config/get-app-config.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { McpServerOptions } from '../mcp-options.js';
import { appNameField, appOut } from './fields.js';
import { refuseRevealWhenReadOnly } from './reveal.js';

const input = {
  app_name: appNameField,
  reveal: z
    .boolean()
    .optional()
    .describe('Return the real values (default false: masked). They are secrets sent to the model'),
};
const output = {
  app_name: appOut,
  revealed: z.boolean().describe('False: every value is masked as ********'),
  vars: z.record(z.string(), z.string()).describe('KEY → value, sorted by key'),
  note: z.string().optional().describe('How to handle revealed values'),
};

@injectable()
export class GetAppConfigTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_app_config';
  readonly title = 'Get app config';
  readonly description =
    'Lists an app\'s environment variables, values masked. reveal: true sends the real values (secrets) to the model.';
  readonly kind = 'read';
  readonly toolset = 'config';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(
    @inject(GetAppConfig) private readonly getAppConfig: GetAppConfig,
    @inject(McpServerOptions) private readonly options: McpServerOptions,
  ) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    refuseRevealWhenReadOnly(this.options, args.reveal, 'shows config keys but never their values', 'Call get_app_config without reveal to see the keys; a value must come from the operator.');
    const config = await this.getAppConfig.execute(caller, { appName: args.app_name, reveal: args.reveal });
    return result({
      app_name: config.appName,
      revealed: config.revealed,
      vars: config.vars,
      ...(config.revealed ? { note: 'These values are secrets: do not repeat them unless the user asked for them.' } : {}),
    });
  }
}
