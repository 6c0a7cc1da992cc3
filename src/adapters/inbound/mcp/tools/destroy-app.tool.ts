import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { DestroyApp } from '../../../../application/apps/destroy-app.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField, appOut } from './fields.js';

const input = { app_name: appNameField };
const output = {
  app_name: appOut,
  destroyed: z.boolean().describe('True: it is gone'),
};

@injectable()
export class DestroyAppTool implements McpTool<typeof input, typeof output> {
  readonly name = 'destroy_app';
  readonly title = 'Destroy app';
  readonly description =
    'Deletes an app with its containers, config and domains. Irreversible. Only when the user asked to delete this app.';
  readonly kind = 'destructive';
  readonly toolset = 'apps';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(DestroyApp) private readonly destroyApp: DestroyApp) {}

  confirmation(args: ToolArgs<typeof input>) {
    return { appName: args.app_name, summary: `Destroy app "${args.app_name}" with its containers, config and domains (irreversible)` };
  }

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const app = await this.destroyApp.execute(caller, { appName: args.app_name });
    return result({ app_name: app.value, destroyed: true });
  }
}
