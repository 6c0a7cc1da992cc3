import type { Deployment, DeploymentKind, DeploymentOrigin, DeploymentSource, DeploymentStatus } from '../../domain/deployment.js';
import { hostDeploymentId } from '../../domain/deployment-id.js';
import { kindOfHostBuild, statusOfHostBuild, type HostBuild } from '../../domain/host-build.js';

/** One line of list_deployments: a deployment this server holds, or a build it only knows from the host's record. */
export interface DeploymentSummary {
  readonly id: string;
  readonly app: string;
  readonly origin: DeploymentOrigin;
  readonly kind: DeploymentKind;
  readonly status: DeploymentStatus;
  /** What was deployed, or what started it on the host (e.g. "git-hook" for a git push). */
  readonly source: string;
  readonly startedAt: Date;
  readonly finishedAt?: Date;
  readonly durationMs?: number;
}

/** "git https://…#main", "image nginx:1.27", Dokku's source name for a host build, or the kind when nothing new. */
export function describeSource(source: DeploymentSource, kind: DeploymentKind): string {
  switch (source.type) {
    case 'git':
      return `git ${source.repoUrl}${source.ref ? `#${source.ref}` : ''}`;
    case 'image':
      return `image ${source.image}`;
    case 'host':
      return source.dokkuSource;
    case 'none':
      return kind;
  }
}

export function summaryOf(d: Deployment): DeploymentSummary {
  return {
    id: d.id,
    app: d.app.value,
    origin: d.origin,
    kind: d.kind,
    status: d.status,
    source: describeSource(d.source, d.kind),
    startedAt: d.startedAt ?? d.createdAt,
    ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
    ...(!d.isActive && d.durationMs !== undefined ? { durationMs: d.durationMs } : {}),
  };
}

export function summaryOfHostBuild(build: HostBuild): DeploymentSummary {
  return {
    id: hostDeploymentId(build.app, build.id),
    app: build.app,
    origin: 'host',
    kind: kindOfHostBuild(build),
    status: statusOfHostBuild(build.status),
    source: build.source,
    startedAt: build.startedAt,
    ...(build.finishedAt ? { finishedAt: build.finishedAt, durationMs: build.finishedAt.getTime() - build.startedAt.getTime() } : {}),
  };
}
