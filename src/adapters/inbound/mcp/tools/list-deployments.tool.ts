import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ListDeployments, type HostRecordState } from '../../../../application/deployments/list-deployments.use-case.js';
import { deploymentSummaryShape, deploymentSummaryView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = {
  app_name: appNameField.optional().describe('Only this app (omit: all)'),
  active_only: z.boolean().optional().describe('Only active ones (default false)'),
};
const output = {
  deployments: z.array(z.object(deploymentSummaryShape)).describe('Newest first'),
  count: z.number().int().describe('How many'),
  host_record: z.string().describe('Host record: included or why not'),
};

const hostRecordText = (state: HostRecordState): string =>
  state.state === 'unavailable' ? `unavailable: ${state.reason}` : state.state === 'unsupported' ? 'unsupported (Dokku < 0.38)' : 'included';

@injectable()
export class ListDeploymentsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'list_deployments';
  readonly title = 'List deployments';
  readonly description = "Deployments, newest first, ours and the host's (git pushes too); no app_name: running ones.";
  readonly kind = 'read';
  readonly toolset = 'deploys';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(ListDeployments) private readonly listDeployments: ListDeployments) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const listing = await this.listDeployments.execute(caller, { appName: args.app_name, activeOnly: args.active_only });
    return result({
      deployments: listing.deployments.map(deploymentSummaryView),
      count: listing.deployments.length,
      host_record: hostRecordText(listing.hostRecord),
    });
  }
}
