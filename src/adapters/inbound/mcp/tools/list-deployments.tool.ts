import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ListDeployments } from '../../../../application/deployments/list-deployments.use-case.js';
import { deploymentShape, deploymentView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = {
  app_name: appNameField.optional().describe('Only this app\'s deployments (omit for all apps)'),
  active_only: z.boolean().optional().describe('Only deployments still pending or running (default false)'),
};
const output = {
  deployments: z.array(z.object(deploymentShape)).describe('Newest first'),
  count: z.number().int().describe('Number of deployments listed'),
};

@injectable()
export class ListDeploymentsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'list_deployments';
  readonly title = 'List deployments';
  readonly description =
    'Lists the deployments this server knows (deploys, rebuilds, restarts, scales, config changes), newest first, optionally for one app or only those still running. Finished ones are kept only for a few minutes (logs.build.retention_minutes). Use it to recover a deployment_id, then get_deployment_status or get_build_logs.';
  readonly kind = 'read';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(ListDeployments) private readonly listDeployments: ListDeployments) {}

  async handle(args: ToolArgs<typeof input>) {
    const deployments = this.listDeployments.execute({ appName: args.app_name, activeOnly: args.active_only });
    return result({ deployments: deployments.map(deploymentView), count: deployments.length });
  }
}
