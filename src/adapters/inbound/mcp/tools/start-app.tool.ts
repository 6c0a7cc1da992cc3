import { inject, injectable } from 'inversify';
import { StartApp } from '../../../../application/deployments/start-app.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = { app_name: appNameField };

@injectable()
export class StartAppTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'start_app';
  readonly title = 'Start app';
  readonly description =
    "Starts a stopped app's containers (Dokku ps:start). Returns at once with a deployment_id; follow it with get_build_logs and get_deployment_status. The app must have been deployed.";
  readonly kind = 'mutating';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(StartApp) private readonly useCase: StartApp) {}

  async handle(args: ToolArgs<typeof input>) {
    return result(startedView(await this.useCase.execute({ appName: args.app_name })));
  }
}
