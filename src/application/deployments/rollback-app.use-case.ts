import { inject, injectable } from 'inversify';
import type { AppName } from '../../domain/app-name.js';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import { deploymentRef } from '../../domain/deployment-id.js';
import { GitRef, GitUrl, ImageRef } from '../../domain/dokku-values.js';
import {
  InvalidArgument, RefusedBeforeHost, type AccessDenied, type Conflict, type AppNotFound, type DeploymentAlreadyRunning, type HostUnreachable,
} from '../../domain/domain-errors.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { RELEASES_KEPT, ReleaseHistory, type Release, type ReleaseHistoryOfApp } from '../../ports/release-history.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { DeploymentRunner } from './deployment-runner.js';

export type RollbackAppError = InvalidArgument | AccessDenied | AppNotFound | Conflict | DeploymentAlreadyRunning | HostUnreachable;

const INSTEAD =
  'To deploy an earlier version anyway: deploy_app(repo_url, git_ref = its commit or tag) or deploy_image(image); rebuild_app rebuilds what the app runs now.';

/**
 * Redeploys the source of the app's previous successful deployment (or of the one named) exactly: a git source at its
 * commit (`git:sync --build <app> <repo> <sha>`), or its image. Tracked like every redeploy; returns at once. Only
 * what this server recorded can be redeployed exactly (see ReleaseHistory); anything else is refused before the host
 * is asked anything, with what to do instead.
 */
@injectable()
export class RollbackApp {
  constructor(
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
    @inject(ReleaseHistory) private readonly history: ReleaseHistory,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string; deploymentId?: string }): Promise<Deployment> {
    const app = this.access.app(caller, input.appName, 'write', 'rollback_app');
    const history = await this.history.of(app.value);
    const target = input.deploymentId === undefined ? this.previous(app, history) : await this.named(app, history, input.deploymentId);
    const source = target.source;
    if (source.type === 'git') {
      return this.runner.start({
        operation: { kind: 'deploy', app, repoUrl: GitUrl.of(source.repoUrl), ref: GitRef.of(source.sha) },
        kind: 'rollback',
        source: { type: 'git', repoUrl: source.repoUrl, ref: source.sha },
      });
    }
    return this.runner.start({
      operation: { kind: 'deploy_image', app, image: ImageRef.of(source.image) },
      kind: 'rollback',
      source: { type: 'image', image: source.image },
    });
  }

  /** The newest recorded release whose source differs from what the app runs now. */
  private previous(app: AppName, history: ReleaseHistoryOfApp): Release {
    const current = history.releases.find((r) => r.deploymentId === history.currentId);
    const target = history.releases.find((r) => r.deploymentId !== history.currentId && !sameSource(r, current));
    if (target) return target;
    const known = history.releases.length;
    throw new RefusedBeforeHost(
      `No earlier successful deploy of "${app.value}" is known to roll back to: this server keeps the exact source of the last ${RELEASES_KEPT} deploys it made of each app since it started, and knows ${known === 0 ? 'none' : known === 1 ? 'only the current one' : `${known}, all of the current source`}; nothing was sent to the host.`,
      INSTEAD,
    );
  }

  private async named(app: AppName, history: ReleaseHistoryOfApp, raw: string): Promise<Release> {
    const ref = deploymentRef(raw);
    const held = await this.store.get(ref.id);
    const ids = new Set([ref.id, held?.id, held?.key].filter((id): id is string => id !== undefined));
    const owner = held?.app.value ?? (ref.type === 'host' ? ref.app.value : undefined);
    if (owner !== undefined && owner !== app.value) {
      throw new InvalidArgument('deployment_id', `${ref.id} is a deployment of "${owner}", not of "${app.value}"`);
    }
    const release = history.releases.find((r) => ids.has(r.deploymentId));
    if (release && release.deploymentId === history.currentId) {
      throw new RefusedBeforeHost(`${ref.id} is what "${app.value}" runs now; nothing was sent to the host.`, `rebuild_app or restart_app redeploys it. ${INSTEAD}`);
    }
    if (release) return release;
    if (held?.kind === 'git_push') {
      throw new RefusedBeforeHost(
        `${ref.id} was a git push to the host: it leaves no remote repository this server could sync from, so it cannot be redeployed exactly; nothing was sent to the host.`,
        `Push that commit again, or deploy it with deploy_app(repo_url, git_ref = the commit) from a repository the host can reach. ${INSTEAD}`,
      );
    }
    const others = history.releases.filter((r) => r.deploymentId !== history.currentId).map((r) => r.deploymentId);
    throw new RefusedBeforeHost(
      `This server has no exact source recorded for ${ref.id}: it records the commit or image of the deploys it makes, from when it starts (none from before a restart, none for a git push or a deploy from a shell); nothing was sent to the host.`,
      others.length > 0 ? `It can roll back to: ${others.join(', ')} (rollback_app without deployment_id takes the newest). ${INSTEAD}` : INSTEAD,
    );
  }
}

function sameSource(a: Release, b: Release | undefined): boolean {
  if (!b) return false;
  if (a.source.type === 'git' && b.source.type === 'git') return a.source.sha === b.source.sha && a.source.repoUrl === b.source.repoUrl;
  if (a.source.type === 'image' && b.source.type === 'image') return a.source.image === b.source.image;
  return false;
}
