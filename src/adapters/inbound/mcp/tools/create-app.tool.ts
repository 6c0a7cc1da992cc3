import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { CreateApp } from '../../../../application/apps/create-app.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField, appOut, nextStepOut } from './fields.js';

const input = { app_name: appNameField };
const output = {
  app_name: appOut,
  created: z.boolean().describe('True: it exists now, empty'),
  next_step: nextStepOut,
};

@injectable()
export class CreateAppTool implements McpTool<typeof input, typeof output> {
  readonly name = 'create_app';
  readonly title = 'Create app';
  readonly description =
    'Creates an empty app (Dokku apps:create); it serves nothing until deploy_app or deploy_image.';
  readonly kind = 'mutating';
  readonly toolset = 'apps';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(CreateApp) private readonly createApp: CreateApp) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const app = await this.createApp.execute(caller, { appName: args.app_name });
    return result({
      app_name: app.value,
      created: true,
      next_step: `Deploy it with deploy_app (app_name "${app.value}", repo_url) or deploy_image; optionally set config first with configure_app (restart: false).`,
    });
  }
}
