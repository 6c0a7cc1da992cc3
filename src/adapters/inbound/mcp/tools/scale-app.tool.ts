import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ScaleApp } from '../../../../application/deployments/scale-app.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = {
  app_name: appNameField,
  processes: z
    .record(z.string(), z.number().int().min(0))
    .describe('Process type → count, e.g. {"web": 2}; 0 stops that type'),
};

@injectable()
export class ScaleAppTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'scale_app';
  readonly title = 'Scale app processes';
  readonly description =
    'Sets how many containers run per process type (Dokku ps:scale).';
  readonly kind = 'mutating';
  readonly toolset = 'apps';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(ScaleApp) private readonly scaleApp: ScaleApp) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(startedView(await this.scaleApp.execute(caller, { appName: args.app_name, processes: args.processes })));
  }
}
