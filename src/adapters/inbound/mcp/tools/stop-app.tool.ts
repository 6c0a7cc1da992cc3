import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { StopApp } from '../../../../application/apps/stop-app.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField, appOut } from './fields.js';

const input = { app_name: appNameField };
const output = {
  app_name: appOut,
  stopped: z.boolean().describe('True: stopped until start_app'),
};

@injectable()
export class StopAppTool implements McpTool<typeof input, typeof output> {
  readonly name = 'stop_app';
  readonly title = 'Stop app';
  readonly description =
    'Stops all of an app\'s containers: it is offline until start_app. Nothing is deleted.';
  readonly kind = 'destructive';
  readonly toolset = 'apps';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(StopApp) private readonly stopApp: StopApp) {}

  confirmation(args: ToolArgs<typeof input>) {
    return { appName: args.app_name, summary: `Stop app "${args.app_name}" (it goes offline until start_app)` };
  }

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const app = await this.stopApp.execute(caller, { appName: args.app_name });
    return result({ app_name: app.value, stopped: true });
  }
}
