import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { CreateApp } from '../../../../application/apps/create-app.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = { app_name: appNameField };
const output = {
  app_name: z.string().describe('The new app'),
  created: z.boolean().describe('True: the app exists now (empty, not deployed)'),
  next_step: z.string().describe('What to do next'),
};

@injectable()
export class CreateAppTool implements McpTool<typeof input, typeof output> {
  readonly name = 'create_app';
  readonly title = 'Create app';
  readonly description =
    'Creates a new, empty Dokku app. It serves nothing until deployed: call deploy_app (git repository) or deploy_image (container image) next. Fails if the name is taken or breaks Dokku\'s naming rule.';
  readonly kind = 'mutating';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(CreateApp) private readonly createApp: CreateApp) {}

  async handle(args: ToolArgs<typeof input>) {
    const app = await this.createApp.execute({ appName: args.app_name });
    return result({
      app_name: app.value,
      created: true,
      next_step: `Deploy it with deploy_app (app_name "${app.value}", repo_url) or deploy_image; optionally set config first with configure_app (restart: false).`,
    });
  }
}
