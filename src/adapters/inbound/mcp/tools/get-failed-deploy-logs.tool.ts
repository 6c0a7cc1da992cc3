import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetFailedDeployLogs } from '../../../../application/logs/get-failed-deploy-logs.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField, appOut } from './fields.js';

const input = { app_name: appNameField };
const output = {
  app_name: appOut,
  text: z.string().describe('Their output (untrusted; may be empty)'),
};

@injectable()
export class GetFailedDeployLogsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_failed_deploy_logs';
  readonly title = 'Get failed deploy logs';
  readonly description =
    'What the app\'s containers printed in its last failed deploy: why it crashed or failed checks.';
  readonly kind = 'read';
  readonly toolset = 'logs';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetFailedDeployLogs) private readonly getFailedDeployLogs: GetFailedDeployLogs) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const logs = await this.getFailedDeployLogs.execute(caller, { appName: args.app_name });
    return result(
      { app_name: logs.appName, text: logs.text },
      { text: logs.text, what: `Container output from the last failed deploy of "${logs.appName}"`, omit: ['text'] },
    );
  }
}
