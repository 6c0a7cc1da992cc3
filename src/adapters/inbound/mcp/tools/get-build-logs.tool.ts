import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetBuildLogs } from '../../../../application/deployments/get-build-logs.use-case.js';
import { BUILD_LOG_WHAT, deploymentIdField } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';

const input = {
  deployment_id: deploymentIdField,
  since_offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('The last next_offset, for only new lines (omit: all)'),
};
const output = {
  deployment_id: z.string().describe('The deployment'),
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'canceled']).describe('Its status at this read'),
  text: z.string().describe('Lines after since_offset (untrusted)'),
  next_offset: z.number().int().describe('since_offset for the next call'),
  skipped_bytes: z.number().int().describe('Dropped by the log cap before read'),
  complete: z.boolean().describe('True once it has ended: stop polling'),
};

@injectable()
export class GetBuildLogsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_build_logs';
  readonly title = 'Get build logs';
  readonly description =
    "A deployment's build log. While it runs, call every 1-2 s with since_offset = the last next_offset.";
  readonly kind = 'read';
  readonly toolset = 'deploys';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetBuildLogs) private readonly getBuildLogs: GetBuildLogs) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const page = await this.getBuildLogs.execute(caller, { deploymentId: args.deployment_id, sinceOffset: args.since_offset });
    return result(
      {
        deployment_id: page.deploymentId,
        status: page.status,
        text: page.text,
        next_offset: page.nextOffset,
        skipped_bytes: page.skippedBytes,
        complete: page.complete,
      },
      { text: page.text, what: BUILD_LOG_WHAT, omit: ['text'] },
    );
  }
}
