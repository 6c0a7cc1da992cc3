import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { CancelDeployment } from '../../../../application/deployments/cancel-deployment.use-case.js';
import { deploymentIdField, deploymentShape, deploymentView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';

const input = { deployment_id: deploymentIdField };
const output = {
  ...deploymentShape,
  next_step: z.string().describe('What to do next'),
};

@injectable()
export class CancelDeploymentTool implements McpTool<typeof input, typeof output> {
  readonly name = 'cancel_deployment';
  readonly title = 'Cancel deployment';
  readonly description =
    'Asks Dokku to cancel a running deployment (builds:cancel, Dokku 0.38+). The deployment ends as "canceled" shortly after; the app keeps running its previous release. Fails if the deployment has already ended.';
  readonly kind = 'mutating';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(CancelDeployment) private readonly cancelDeployment: CancelDeployment) {}

  async handle(args: ToolArgs<typeof input>) {
    const deployment = await this.cancelDeployment.execute({ deploymentId: args.deployment_id });
    return result({
      ...deploymentView(deployment),
      next_step: `Cancel sent. Poll get_deployment_status("${deployment.id}") until status is "canceled".`,
    });
  }
}
