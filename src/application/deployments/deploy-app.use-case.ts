import { inject, injectable } from 'inversify';
import type { Deployment } from '../../domain/deployment.js';
import { GitRef, GitUrl } from '../../domain/dokku-values.js';
import type { AccessDenied, AppNotFound, DeploymentAlreadyRunning, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DeploymentRunner } from './deployment-runner.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export interface DeployAppInput {
  readonly appName: string;
  readonly repoUrl: string;
  /** Omitted: Dokku uses the repository's default branch. */
  readonly gitRef?: string;
}
export type DeployAppError = InvalidArgument | AccessDenied | AppNotFound | DeploymentAlreadyRunning | HostUnreachable;

/** Deploys an app from a git repository (`git:sync --build`); returns the running deployment at once. */
@injectable()
export class DeployApp {
  constructor(
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: DeployAppInput): Promise<Deployment> {
    const app = this.access.app(caller, input.appName, 'write');
    const repoUrl = GitUrl.of(input.repoUrl);
    const ref = input.gitRef === undefined || input.gitRef === '' ? undefined : GitRef.of(input.gitRef);
    return this.runner.start({
      operation: { kind: 'deploy', app, repoUrl, ref },
      kind: 'deploy',
      source: { type: 'git', repoUrl: repoUrl.value, ref: ref?.value },
    });
  }
}
