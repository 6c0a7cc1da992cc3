import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { DeployImage } from '../../../../application/deployments/deploy-image.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = {
  app_name: appNameField,
  image: z.string().describe('Image reference, e.g. "nginx:1.27"'),
};

@injectable()
export class DeployImageTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'deploy_image';
  readonly title = 'Deploy app from image';
  readonly description =
    'Deploys an app from a container image (Dokku git:from-image), no build. Returns a deployment_id at once.';
  readonly kind = 'mutating';
  readonly toolset = 'deploys';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(DeployImage) private readonly deployImage: DeployImage) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(startedView(await this.deployImage.execute(caller, { appName: args.app_name, image: args.image })));
  }
}
