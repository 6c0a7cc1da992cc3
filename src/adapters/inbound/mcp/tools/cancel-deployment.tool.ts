import { inject, injectable } from 'inversify';
import { CancelDeployment } from '../../../../application/deployments/cancel-deployment.use-case.js';
import { deploymentIdField, deploymentShape } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { nextStepOut } from './fields.js';

const input = { deployment_id: deploymentIdField };
// The rest of the deployment is get_deployment_status' to say.
const output = {
  deployment_id: deploymentShape.deployment_id,
  status: deploymentShape.status,
  next_step: nextStepOut,
};

@injectable()
export class CancelDeploymentTool implements McpTool<typeof input, typeof output> {
  readonly name = 'cancel_deployment';
  readonly title = 'Cancel deployment';
  readonly description =
    'Cancels a running deployment (Dokku builds:cancel, 0.38+); the app keeps its previous release.';
  readonly kind = 'mutating';
  readonly toolset = 'deploys';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(CancelDeployment) private readonly cancelDeployment: CancelDeployment) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const deployment = await this.cancelDeployment.execute(caller, { deploymentId: args.deployment_id });
    return result({
      deployment_id: deployment.id,
      status: deployment.status,
      // Only a deployment still active is worth polling; one already canceled is done.
      next_step: deployment.isActive
        ? `Cancel sent; it ends shortly. Check get_deployment_status("${deployment.id}") for the outcome.`
        : `The deployment is ${deployment.status}; the app keeps its previous release. Check it with get_app_status.`,
    });
  }
}
