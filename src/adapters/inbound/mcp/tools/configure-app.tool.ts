import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ConfigureApp } from '../../../../application/config/configure-app.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { configChangeShape, configChangeView } from './config-change-view.js';
import { appNameField, restartField } from './fields.js';

const input = {
  app_name: appNameField,
  vars: z
    .record(z.string(), z.string())
    .describe('KEY → value to set, e.g. {"NODE_ENV": "production"}'),
  restart: restartField,
};

@injectable()
export class ConfigureAppTool implements McpTool<typeof input, typeof configChangeShape> {
  readonly name = 'configure_app';
  readonly title = 'Set app config';
  readonly description =
    'Sets environment variables of an app (Dokku config:set). Values are never echoed back.';
  readonly kind = 'mutating';
  readonly toolset = 'config';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = configChangeShape;

  constructor(@inject(ConfigureApp) private readonly configureApp: ConfigureApp) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const change = await this.configureApp.execute(caller, { appName: args.app_name, vars: args.vars, restart: args.restart });
    return result(configChangeView(args.app_name, change));
  }
}
