import { inject, injectable } from 'inversify';
import { GetDeploymentStatus } from '../../../../application/deployments/get-deployment-status.use-case.js';
import { deploymentErrorText, deploymentIdField, deploymentShape, deploymentView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';

export const LOG_TAIL_LINES = 30;

const input = { deployment_id: deploymentIdField };
// The log tail goes once, as fenced text after the result (not also in the structured result): the log itself is
// get_build_logs' business, and while the deployment runs get_build_logs is how to read it.
const output = deploymentShape;

@injectable()
export class GetDeploymentStatusTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_deployment_status';
  readonly title = 'Get deployment status';
  readonly description =
    'How a deployment stands or ended; once ended, its last log lines follow as text.';
  readonly kind = 'read';
  readonly toolset = 'deploys';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetDeploymentStatus) private readonly getStatus: GetDeploymentStatus) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const { deployment, lastLines } = await this.getStatus.execute(caller, { deploymentId: args.deployment_id, tailLines: LOG_TAIL_LINES });
    const view = deploymentView(deployment);
    const tail = lastLines === undefined ? undefined : { text: lastLines, what: `Last ${LOG_TAIL_LINES} lines of the build log (output from Dokku and the app's build)` };
    return result(view, deploymentErrorText(view), tail);
  }
}
