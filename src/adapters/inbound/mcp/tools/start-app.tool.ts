import { inject, injectable } from 'inversify';
import { StartApp } from '../../../../application/deployments/start-app.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = { app_name: appNameField };

@injectable()
export class StartAppTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'start_app';
  readonly title = 'Start app';
  readonly description =
    'Starts a stopped app\'s processes (Dokku ps:start). Returns a deployment_id.';
  readonly kind = 'mutating';
  readonly toolset = 'apps';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(StartApp) private readonly useCase: StartApp) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(startedView(await this.useCase.execute(caller, { appName: args.app_name })));
  }
}
