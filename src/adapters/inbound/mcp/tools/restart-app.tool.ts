import { inject, injectable } from 'inversify';
import { RestartApp } from '../../../../application/deployments/restart-app.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = { app_name: appNameField };

@injectable()
export class RestartAppTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'restart_app';
  readonly title = 'Restart app';
  readonly description =
    'Restarts the app\'s processes with the current build (Dokku ps:restart).';
  readonly kind = 'mutating';
  readonly toolset = 'apps';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(RestartApp) private readonly useCase: RestartApp) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(startedView(await this.useCase.execute(caller, { appName: args.app_name })));
  }
}
