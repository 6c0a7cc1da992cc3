import { z } from 'zod';
import type { Deployment } from '../../../domain/deployment.js';

/** How deployments look to clients (tools and resources alike): snake_case, ISO timestamps, null for "not yet". */

export const deploymentLogsUri = (id: string): string => `dokku://deployment/${id}/logs`;
export const deploymentUri = (id: string): string => `dokku://deployment/${id}`;

const KINDS = ['deploy', 'deploy_image', 'rebuild', 'restart', 'start', 'scale', 'config_change'] as const;
const STATUSES = ['pending', 'running', 'succeeded', 'failed', 'canceled'] as const;

export const deploymentIdField = z
  .string()
  .describe('Deployment id as returned by deploy_app and the other deploying tools, e.g. "deploy_01jd3k5x7m2q"');

export const deploymentShape = {
  deployment_id: z.string().describe('Deployment id'),
  app_name: z.string().describe('App the deployment belongs to'),
  kind: z.enum(KINDS).describe('What started it: deploy (git), deploy_image, rebuild, restart, start, scale or config_change'),
  status: z.enum(STATUSES).describe('pending/running while active; succeeded, failed or canceled once ended'),
  active: z.boolean().describe('True while pending or running'),
  source: z
    .object({
      type: z.enum(['git', 'image', 'none']),
      repo_url: z.string().optional(),
      git_ref: z.string().optional(),
      image: z.string().optional(),
    })
    .describe('What was deployed: a git repository (and ref), an image, or nothing new (restart, scale, config change)'),
  created_at: z.string().describe('ISO 8601'),
  started_at: z.string().nullable().describe('ISO 8601, null until Dokku started'),
  finished_at: z.string().nullable().describe('ISO 8601, null while active'),
  duration_ms: z.number().nullable().describe('Milliseconds from start to end; null while active'),
  exit_code: z.number().int().nullable().describe("Dokku's exit status, null while active or when unknown"),
  error: z.string().nullable().describe('Why it failed or was canceled; null otherwise'),
  log_size: z.number().int().describe('Characters of build log so far (a since_offset for get_build_logs)'),
};

export type DeploymentView = z.infer<z.ZodObject<typeof deploymentShape>>;

export function deploymentView(d: Deployment): DeploymentView {
  const source = d.source;
  return {
    deployment_id: d.id,
    app_name: d.app.value,
    kind: d.kind,
    status: d.status,
    active: d.isActive,
    source:
      source.type === 'git'
        ? { type: 'git', repo_url: source.repoUrl, ...(source.ref ? { git_ref: source.ref } : {}) }
        : source.type === 'image'
          ? { type: 'image', image: source.image }
          : { type: 'none' },
    created_at: d.createdAt.toISOString(),
    started_at: d.startedAt?.toISOString() ?? null,
    finished_at: d.finishedAt?.toISOString() ?? null,
    duration_ms: d.isActive ? null : (d.durationMs ?? null),
    exit_code: d.exitCode ?? null,
    error: d.error ?? null,
    log_size: d.log.size,
  };
}

/** What every tool that starts a deployment returns at once: the id, and where to follow it. */
export const startedShape = {
  deployment_id: z.string().describe('Id of the deployment now running; pass it to get_build_logs and get_deployment_status'),
  app_name: z.string().describe('The app'),
  kind: z.enum(KINDS).describe('What kind of deployment was started'),
  status: z.enum(STATUSES).describe('Usually "running": the tool returns as soon as Dokku has started'),
  log_resource: z.string().describe('Resource URI of the whole build log (text/plain); subscribe to it for update notifications'),
  next_step: z.string().describe('What to do next'),
};

export function startedView(d: Deployment): z.infer<z.ZodObject<typeof startedShape>> {
  return {
    deployment_id: d.id,
    app_name: d.app.value,
    kind: d.kind,
    status: d.status,
    log_resource: deploymentLogsUri(d.id),
    next_step: `Poll get_build_logs with deployment_id "${d.id}" every 1-2 s, passing the returned next_offset as since_offset, until complete is true (or read ${deploymentLogsUri(d.id)}); then check get_deployment_status and get_app_status.`,
  };
}
