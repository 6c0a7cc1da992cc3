import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { DeployImage } from '../../../../application/deployments/deploy-image.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = {
  app_name: appNameField,
  image: z.string().describe('Docker image reference, e.g. "nginx:1.27" or "ghcr.io/org/app@sha256:…"'),
};

@injectable()
export class DeployImageTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'deploy_image';
  readonly title = 'Deploy app from image';
  readonly description =
    'Deploys an existing app from a container image (Dokku git:from-image), without building from source. Returns at once with a deployment_id; follow it with get_build_logs and get_deployment_status as for deploy_app.';
  readonly kind = 'mutating';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(DeployImage) private readonly deployImage: DeployImage) {}

  async handle(args: ToolArgs<typeof input>) {
    return result(startedView(await this.deployImage.execute({ appName: args.app_name, image: args.image })));
  }
}
