import type { DeploymentKind, DeploymentStatus } from './deployment.js';

/** How Dokku (0.38+) records a build: `builds:list`/`builds:info` JSON, its display status (abandoned: the pid died). */
export type HostBuildStatus = 'running' | 'succeeded' | 'failed' | 'canceled' | 'abandoned';

/** One entry of the host's own build record (`builds:*`), whoever started it: this server, a `git push`, a shell. */
export interface HostBuild {
  /** Dokku's build id (base36). */
  readonly id: string;
  readonly app: string;
  /** build: a new image (git push, git:*, ps:rebuild); deploy: an existing image redeployed (ps:restart, config:set…). */
  readonly kind: 'build' | 'deploy';
  /** What started it, as Dokku names it: git-hook (a git push), git:sync, ps:restart, config-redeploy, … */
  readonly source: string;
  readonly status: HostBuildStatus;
  readonly startedAt: Date;
  readonly finishedAt?: Date;
  readonly exitCode?: number;
}

/** Dokku's source names → our deployment kinds (git-hook is a git push; anything new or unknown is "other"). */
const KIND_OF_SOURCE: Readonly<Record<string, DeploymentKind>> = {
  'git-hook': 'git_push',
  'git:sync': 'deploy',
  'git:from-image': 'deploy_image',
  'git:load-image': 'deploy_image',
  'ps:rebuild': 'rebuild',
  'ps:restart': 'restart',
  'ps:start': 'start',
  'config-redeploy': 'config_change',
};

export const kindOfHostBuild = (build: HostBuild): DeploymentKind => KIND_OF_SOURCE[build.source] ?? 'other';

/** The deployment status a host build maps to (abandoned is failed: the deploy process died without finishing). */
export const statusOfHostBuild = (status: HostBuildStatus): DeploymentStatus => (status === 'abandoned' ? 'failed' : status);

/** Why a host build that did not succeed ended as it did, in a sentence. */
export function hostBuildError(build: HostBuild): string | undefined {
  switch (build.status) {
    case 'failed':
      return `Dokku recorded it as failed${build.exitCode === undefined ? '' : ` (exit ${build.exitCode})`}`;
    case 'abandoned':
      return 'Dokku recorded it as abandoned: the deploy process ended without finishing (the host may have restarted)';
    default:
      return undefined;
  }
}
