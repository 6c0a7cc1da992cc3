import { inject, injectable } from 'inversify';
import { RebuildApp } from '../../../../application/deployments/rebuild-app.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = { app_name: appNameField };

@injectable()
export class RebuildAppTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'rebuild_app';
  readonly title = 'Rebuild app';
  readonly description =
    'Rebuilds the app from its last source and redeploys it (Dokku ps:rebuild).';
  readonly kind = 'mutating';
  readonly toolset = 'deploys';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(RebuildApp) private readonly useCase: RebuildApp) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(startedView(await this.useCase.execute(caller, { appName: args.app_name })));
  }
}
