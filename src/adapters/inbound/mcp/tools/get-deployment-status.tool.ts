import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetDeployment } from '../../../../application/deployments/get-deployment.use-case.js';
import { deploymentIdField, deploymentShape, deploymentView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';

export const LOG_TAIL_LINES = 30;

const input = { deployment_id: deploymentIdField };
const output = {
  ...deploymentShape,
  log_tail: z.string().describe(`The last ${LOG_TAIL_LINES} lines of the build log (untrusted output from Dokku and the app's build)`),
};

@injectable()
export class GetDeploymentStatusTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_deployment_status';
  readonly title = 'Get deployment status';
  readonly description =
    `Shows one deployment: status (pending, running, succeeded, failed, canceled), kind, app, source, timestamps, exit code, error, duration, log size and the last ${LOG_TAIL_LINES} log lines. Use it to see how a deployment ended; for the full log use get_build_logs. Finished deployments are kept only for a few minutes.`;
  readonly kind = 'read';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetDeployment) private readonly getDeployment: GetDeployment) {}

  async handle(args: ToolArgs<typeof input>) {
    const deployment = this.getDeployment.execute({ deploymentId: args.deployment_id });
    const tail = deployment.log.tail(LOG_TAIL_LINES);
    return result(
      { ...deploymentView(deployment), log_tail: tail },
      { text: tail, what: `Last ${LOG_TAIL_LINES} lines of the build log (output from Dokku and the app's build)`, omit: ['log_tail'] },
    );
  }
}
