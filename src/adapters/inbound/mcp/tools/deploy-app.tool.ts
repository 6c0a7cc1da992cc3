import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { DeployApp } from '../../../../application/deployments/deploy-app.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = {
  app_name: appNameField,
  repo_url: z.string().describe('Remote git repository: https://host/path, ssh://host/path or git@host:path'),
  git_ref: z
    .string()
    .optional()
    .describe("Branch, tag or commit to deploy; omit to let Dokku use the repository's default branch"),
};

@injectable()
export class DeployAppTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'deploy_app';
  readonly title = 'Deploy app from git';
  readonly description =
    'Builds and deploys an existing app from a git repository (Dokku git:sync --build). Returns at once with a deployment_id while the build runs (minutes). Follow it with get_build_logs (poll with since_offset = next_offset until complete) or the resource dokku://deployment/{id}/logs, then get_deployment_status and get_app_status. One deployment per app at a time.';
  readonly kind = 'mutating';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(DeployApp) private readonly deployApp: DeployApp) {}

  async handle(args: ToolArgs<typeof input>) {
    const deployment = await this.deployApp.execute({ appName: args.app_name, repoUrl: args.repo_url, gitRef: args.git_ref });
    return result(startedView(deployment));
  }
}
