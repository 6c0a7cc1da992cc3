import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { DeployApp } from '../../../../application/deployments/deploy-app.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = {
  app_name: appNameField,
  repo_url: z.string().describe('https://…, ssh://… or git@host:path'),
  git_ref: z
    .string()
    .optional()
    .describe('Branch, tag or commit (omit: the default branch)'),
};

@injectable()
export class DeployAppTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'deploy_app';
  readonly title = 'Deploy app from git';
  readonly description =
    'Builds and deploys an app from a git repository (Dokku git:sync --build); returns a deployment_id at once.';
  readonly kind = 'mutating';
  readonly toolset = 'deploys';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(DeployApp) private readonly deployApp: DeployApp) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const deployment = await this.deployApp.execute(caller, { appName: args.app_name, repoUrl: args.repo_url, gitRef: args.git_ref });
    return result(startedView(deployment));
  }
}
