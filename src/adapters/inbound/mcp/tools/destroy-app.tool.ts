import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { DestroyApp } from '../../../../application/apps/destroy-app.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = { app_name: appNameField };
const output = {
  app_name: z.string().describe('The app that was destroyed'),
  destroyed: z.boolean().describe('True: the app, its containers and its config are gone'),
};

@injectable()
export class DestroyAppTool implements McpTool<typeof input, typeof output> {
  readonly name = 'destroy_app';
  readonly title = 'Destroy app';
  readonly description =
    'Permanently deletes an app with its containers, config and domains. Irreversible; refused while a deployment of the app is running. Only call it when the user has clearly asked to delete this app.';
  readonly kind = 'destructive';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(DestroyApp) private readonly destroyApp: DestroyApp) {}

  confirmation(args: ToolArgs<typeof input>) {
    return { appName: args.app_name, summary: `Destroy app "${args.app_name}" with its containers, config and domains (irreversible)` };
  }

  async handle(args: ToolArgs<typeof input>) {
    const app = await this.destroyApp.execute({ appName: args.app_name });
    return result({ app_name: app.value, destroyed: true });
  }
}
