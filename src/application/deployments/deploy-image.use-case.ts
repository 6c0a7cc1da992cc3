import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { Deployment } from '../../domain/deployment.js';
import { ImageRef } from '../../domain/dokku-values.js';
import type { AppNotFound, DeploymentAlreadyRunning, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DeploymentRunner } from './deployment-runner.js';

export type DeployImageError = InvalidArgument | AppNotFound | DeploymentAlreadyRunning | HostUnreachable;

/** Deploys an app from a container image (`git:from-image`); returns the running deployment at once. */
@injectable()
export class DeployImage {
  constructor(@inject(DeploymentRunner) private readonly runner: DeploymentRunner) {}

  async execute(input: { appName: string; image: string }): Promise<Deployment> {
    const app = AppName.of(input.appName);
    const image = ImageRef.of(input.image);
    return this.runner.start({
      operation: { kind: 'deploy_image', app, image },
      kind: 'deploy_image',
      source: { type: 'image', image: image.value },
    });
  }
}
