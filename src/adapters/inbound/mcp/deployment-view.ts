import { z } from 'zod';
import type { Deployment } from '../../../domain/deployment.js';
import { appOut, nextStepOut } from './tools/fields.js';

/** How deployments look to clients (tools and resources alike): snake_case, ISO timestamps, null for "not yet". */

export const deploymentLogsUri = (id: string): string => `dokku://deployment/${id}/logs`;
export const deploymentUri = (id: string): string => `dokku://deployment/${id}`;

const KINDS = ['deploy', 'deploy_image', 'rebuild', 'restart', 'start', 'scale', 'config_change', 'service_link', 'service_unlink', 'letsencrypt'] as const;
const STATUSES = ['pending', 'running', 'succeeded', 'failed', 'canceled'] as const;

export const deploymentIdField = z.string().describe('Deployment id');

const kindOut = z.enum(KINDS).describe('What started it');
const statusOut = z.enum(STATUSES).describe('Active: pending, running');

export const deploymentShape = {
  deployment_id: z.string().describe('Deployment id'),
  app_name: appOut,
  kind: kindOut,
  status: statusOut,
  active: z.boolean().describe('True while pending or running'),
  source: z
    .object({
      type: z.enum(['git', 'image', 'none']).describe('none: nothing new'),
      repo_url: z.string().optional().describe('git repository'),
      git_ref: z.string().optional().describe('git ref'),
      image: z.string().optional().describe('Image'),
    })
    .describe('What was deployed'),
  created_at: z.string().describe('ISO 8601'),
  started_at: z.string().nullable().describe('null until started'),
  finished_at: z.string().nullable().describe('null while active'),
  duration_ms: z.number().nullable().describe('null while active'),
  exit_code: z.number().int().nullable().describe('null while active or unknown'),
  error: z.string().nullable().describe('Why it failed or was canceled'),
  log_size: z.number().int().describe('Build log bytes so far'),
};

/** A deployment in a list: enough to pick one; get_deployment_status has the rest. */
export const deploymentSummaryShape = {
  deployment_id: deploymentShape.deployment_id,
  app_name: appOut,
  kind: kindOut,
  status: statusOut,
  created_at: deploymentShape.created_at,
  finished_at: deploymentShape.finished_at,
};

export function deploymentSummaryView(d: Deployment): z.infer<z.ZodObject<typeof deploymentSummaryShape>> {
  return {
    deployment_id: d.id,
    app_name: d.app.value,
    kind: d.kind,
    status: d.status,
    created_at: d.createdAt.toISOString(),
    finished_at: d.finishedAt?.toISOString() ?? null,
  };
}

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
/**
 * The caller knows the app and what it started, so those are not said again; the log resource's URI follows from the
 * id (dokku://deployment/{id}/logs, in the server instructions) and is named in next_step.
 */
export const startedShape = {
  deployment_id: z.string().describe('The deployment now running'),
  status: statusOut,
  next_step: nextStepOut,
};

export function startedView(d: Deployment): z.infer<z.ZodObject<typeof startedShape>> {
  return {
    deployment_id: d.id,
    status: d.status,
    next_step: `Poll get_build_logs("${d.id}", since_offset = the last next_offset) every 1-2 s until complete is true (or subscribe to ${deploymentLogsUri(d.id)}); then get_deployment_status and get_app_status.`,
  };
}
