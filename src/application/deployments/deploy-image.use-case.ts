import { inject, injectable } from 'inversify';
import type { Deployment } from '../../domain/deployment.js';
import { ImageRef } from '../../domain/dokku-values.js';
import type { AccessDenied, AppNotFound, DeploymentAlreadyRunning, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DeploymentRunner } from './deployment-runner.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export type DeployImageError = InvalidArgument | AccessDenied | AppNotFound | DeploymentAlreadyRunning | HostUnreachable;

/** Deploys an app from a container image (`git:from-image`); returns the running deployment at once. */
@injectable()
export class DeployImage {
  constructor(
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string; image: string }): Promise<Deployment> {
    const app = this.access.app(caller, input.appName, 'write');
    const image = ImageRef.of(input.image);
    return this.runner.start({
      operation: { kind: 'deploy_image', app, image },
      kind: 'deploy_image',
      source: { type: 'image', image: image.value },
    });
  }
}
