import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetAppConfig } from '../../../../application/config/get-app-config.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = {
  app_name: appNameField,
  reveal: z
    .boolean()
    .optional()
    .describe('Return the real values (default false: values masked). Revealed values are secrets sent to the model; ask only when a value is really needed'),
};
const output = {
  app_name: z.string().describe('The app'),
  revealed: z.boolean().describe('False: every value is masked as ********'),
  vars: z.record(z.string(), z.string()).describe('Environment variables, KEY → value (masked unless revealed), sorted by key'),
  note: z.string().optional().describe('Handling advice for revealed values'),
};

@injectable()
export class GetAppConfigTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_app_config';
  readonly title = 'Get app config';
  readonly description =
    "Lists an app's environment variables. By default only the keys are meaningful: values are masked. Pass reveal: true only when the user needs a value; revealed values (passwords, tokens) are returned to the model as they are. Change config with configure_app or unset_app_config.";
  readonly kind = 'read';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetAppConfig) private readonly getAppConfig: GetAppConfig) {}

  async handle(args: ToolArgs<typeof input>) {
    const config = await this.getAppConfig.execute({ appName: args.app_name, reveal: args.reveal });
    return result({
      app_name: config.appName,
      revealed: config.revealed,
      vars: config.vars,
      ...(config.revealed ? { note: 'These values are secrets: do not repeat them unless the user asked for them.' } : {}),
    });
  }
}
