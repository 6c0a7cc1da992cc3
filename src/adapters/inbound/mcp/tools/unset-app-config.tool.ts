import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { UnsetAppConfig } from '../../../../application/config/unset-app-config.use-case.js';
import { EnvKey } from '../../../../domain/dokku-values.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { configChangeShape, configChangeView } from './config-change-view.js';
import { appNameField, restartField } from './fields.js';

const input = {
  app_name: appNameField,
  keys: z.array(z.string()).min(1).describe('Keys to remove, e.g. ["OLD_FLAG"]'),
  restart: restartField,
};

@injectable()
export class UnsetAppConfigTool implements McpTool<typeof input, typeof configChangeShape> {
  readonly name = 'unset_app_config';
  readonly title = 'Unset app config';
  readonly description =
    'Removes environment variables from an app (Dokku config:unset); their values are lost.';
  readonly kind = 'destructive';
  readonly toolset = 'config';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = configChangeShape;

  constructor(@inject(UnsetAppConfig) private readonly unsetAppConfig: UnsetAppConfig) {}

  confirmation(args: ToolArgs<typeof input>) {
    // Validated first, so the human is never asked to confirm something that would be refused anyway.
    const keys = args.keys.map((key) => EnvKey.of(key, 'keys').value).join(', ');
    const restart = args.restart === false ? '' : ' and restart it';
    return { appName: args.app_name, summary: `Remove config ${keys} from app "${args.app_name}"${restart}` };
  }

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const change = await this.unsetAppConfig.execute(caller, { appName: args.app_name, keys: args.keys, restart: args.restart });
    return result(configChangeView(args.app_name, change));
  }
}
