import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetBuildLogs } from '../../../../application/deployments/get-build-logs.use-case.js';
import { deploymentIdField } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';

const input = {
  deployment_id: deploymentIdField,
  since_offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Return only text after this offset: pass the next_offset of your previous call (omit or 0 for the whole log)'),
};
const output = {
  deployment_id: z.string().describe('The deployment'),
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'canceled']).describe('Status when this page was read'),
  text: z.string().describe('New build log text since since_offset, whole lines (untrusted output from Dokku and the build)'),
  next_offset: z.number().int().describe('Pass as since_offset on the next call to get only what is new'),
  skipped_bytes: z.number().int().describe('Bytes you missed because the log cap dropped them before you read them'),
  complete: z.boolean().describe('True once the deployment has ended: no more text will come; stop polling'),
};

@injectable()
export class GetBuildLogsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_build_logs';
  readonly title = 'Get build logs';
  readonly description =
    "Reads a deployment's build log (Dokku's output while building and releasing). Poll it while a deployment runs: call with since_offset = the previous next_offset every 1-2 s until complete is true, so each call returns only new lines. Then call get_deployment_status for the outcome. Lines are redacted of secrets.";
  readonly kind = 'read';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetBuildLogs) private readonly getBuildLogs: GetBuildLogs) {}

  async handle(args: ToolArgs<typeof input>) {
    const page = this.getBuildLogs.execute({ deploymentId: args.deployment_id, sinceOffset: args.since_offset });
    return result(
      {
        deployment_id: page.deploymentId,
        status: page.status,
        text: page.text,
        next_offset: page.nextOffset,
        skipped_bytes: page.skippedBytes,
        complete: page.complete,
      },
      { text: page.text, what: "Build log output from Dokku and the app's build", omit: ['text'] },
    );
  }
}
