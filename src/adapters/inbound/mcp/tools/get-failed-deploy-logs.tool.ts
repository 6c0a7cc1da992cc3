import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetFailedDeployLogs } from '../../../../application/logs/get-failed-deploy-logs.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = { app_name: appNameField };
const output = {
  app_name: z.string().describe('The app'),
  text: z.string().describe("Logs of the containers kept from the app's last failed deploy (untrusted app output; may be empty)"),
};

@injectable()
export class GetFailedDeployLogsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_failed_deploy_logs';
  readonly title = 'Get failed deploy logs';
  readonly description =
    "Returns what the app's containers printed during its last failed deploy (Dokku logs:failed): usually why the app crashed on start or failed its checks. Use it after get_deployment_status shows a failure that the build log alone does not explain.";
  readonly kind = 'read';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetFailedDeployLogs) private readonly getFailedDeployLogs: GetFailedDeployLogs) {}

  async handle(args: ToolArgs<typeof input>) {
    const logs = await this.getFailedDeployLogs.execute({ appName: args.app_name });
    return result(
      { app_name: logs.appName, text: logs.text },
      { text: logs.text, what: `Container output from the last failed deploy of "${logs.appName}"`, omit: ['text'] },
    );
  }
}
