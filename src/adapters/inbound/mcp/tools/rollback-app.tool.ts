import { inject, injectable } from 'inversify';
import { RollbackApp } from '../../../../application/deployments/rollback-app.use-case.js';
import { deploymentIdField, startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = {
  app_name: appNameField,
  deployment_id: deploymentIdField.optional().describe('Deploy to return to (omit: the previous)'),
};

@injectable()
export class RollbackAppTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'rollback_app';
  readonly title = 'Roll back app';
  readonly description = 'Redeploys the exact commit or image of an earlier successful deploy.';
  readonly kind = 'mutating';
  readonly toolset = 'deploys';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(RollbackApp) private readonly useCase: RollbackApp) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(startedView(await this.useCase.execute(caller, { appName: args.app_name, deploymentId: args.deployment_id })));
  }
}
