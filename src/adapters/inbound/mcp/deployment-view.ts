import { z } from 'zod';
import type { DeploymentSummary } from '../../../application/deployments/deployment-summary.js';
import type { Deployment } from '../../../domain/deployment.js';
import type { UntrustedText } from './results.js';
import { appOut, nextStepOut } from './tools/fields.js';

/** How deployments look to clients (tools and resources alike): snake_case, ISO timestamps, null for "not yet". */

export const deploymentLogsUri = (id: string): string => `dokku://deployment/${id}/logs`;
export const deploymentUri = (id: string): string => `dokku://deployment/${id}`;
/** What a build log is, in the label of its fenced text (untrusted-fence.ts). */
export const BUILD_LOG_WHAT = "Build log output from Dokku and the app's build";

const STATUSES = ['pending', 'running', 'succeeded', 'failed', 'canceled'] as const;

export const deploymentIdField = z.string().describe('Deployment id');

// A string, not an enum: ten kinds listed twice would cost tools/list more than they tell (README lists them).
const kindOut = z.string().describe('What started it, e.g. deploy, rollback, git_push');
const statusOut = z.enum(STATUSES).describe('Active: pending, running');
const originOut = z.enum(['mcp', 'host']).describe('host: started elsewhere');

export const deploymentShape = {
  deployment_id: z.string().describe('Deployment id'),
  app_name: appOut,
  origin: originOut,
  kind: kindOut,
  status: statusOut,
  active: z.boolean().describe('True while pending or running'),
  source: z
    .object({
      type: z.enum(['git', 'image', 'none']).describe('none: nothing new, or not known'),
      repo_url: z.string().optional().describe('git repository'),
      git_ref: z.string().optional().describe('git ref'),
      image: z.string().optional().describe('Image'),
    })
    .describe('What was deployed'),
  created_at: z.string().describe('ISO 8601'),
  started_at: z.string().nullable().describe('null until started'),
  finished_at: z.string().nullable().describe('null while active'),
  duration_ms: z.number().nullable().describe('null while active'),
  exit_code: z.number().nullable().describe('null while active or unknown'),
  error: z.string().nullable().describe('Why it failed or was canceled'),
  log_size: z.number().int().describe('Build log bytes so far'),
  processes: z.array(z.string()).optional().describe('If succeeded: up, e.g. web.1'),
  urls: z.array(z.string()).optional().describe('If succeeded: app URLs'),
};

/** A deployment in a list: enough to pick one; get_deployment_status has the rest. */
export const deploymentSummaryShape = {
  deployment_id: deploymentShape.deployment_id,
  app_name: appOut,
  origin: z.string().describe('mcp or host'),
  kind: kindOut,
  status: z.string().describe('e.g. running, failed'),
  source: z.string().describe('What was deployed'),
  started_at: z.string().describe('ISO 8601'),
  finished_at: deploymentShape.finished_at,
  duration_ms: deploymentShape.duration_ms,
};

export function deploymentSummaryView(d: DeploymentSummary): z.infer<z.ZodObject<typeof deploymentSummaryShape>> {
  return {
    deployment_id: d.id,
    app_name: d.app,
    origin: d.origin,
    kind: d.kind,
    status: d.status,
    source: d.source,
    started_at: d.startedAt.toISOString(),
    finished_at: d.finishedAt?.toISOString() ?? null,
    duration_ms: d.durationMs ?? null,
  };
}

export type DeploymentView = z.infer<z.ZodObject<typeof deploymentShape>>;

/**
 * A deployment's `error`, as text content gives it: fenced after the JSON, not in it. It may quote the host (Dokku's
 * last " !" line, which the app's own build can print, or the host's build record), so it is untrusted like a log.
 */
export function deploymentErrorText(view: DeploymentView): UntrustedText | undefined {
  if (!view.error) return undefined;
  return { text: view.error, what: "Why the deployment failed or was canceled (`error`; it may quote output from Dokku and the app's build)", omit: ['error'] };
}

function sourceView(d: Deployment): DeploymentView['source'] {
  const source = d.source;
  switch (source.type) {
    case 'git':
      return { type: 'git', repo_url: source.repoUrl, ...(source.ref ? { git_ref: source.ref } : {}) };
    case 'image':
      return { type: 'image', image: source.image };
    case 'host': // Dokku's record names what started it (the kind), not the repository
    case 'none':
      return { type: 'none' };
  }
}

export function deploymentView(d: Deployment): DeploymentView {
  return {
    deployment_id: d.id,
    app_name: d.app.value,
    origin: d.origin,
    kind: d.kind,
    status: d.status,
    active: d.isActive,
    source: sourceView(d),
    created_at: d.createdAt.toISOString(),
    started_at: d.startedAt?.toISOString() ?? null,
    finished_at: d.finishedAt?.toISOString() ?? null,
    duration_ms: d.isActive ? null : (d.durationMs ?? null),
    exit_code: d.exitCode ?? null,
    error: d.error ?? null,
    log_size: d.logSize,
    ...(d.verified ? { processes: [...d.verified.processes], urls: [...d.verified.urls] } : {}),
  };
}

/**
 * What every tool that starts a deployment returns at once: the id, and where to follow it. The caller knows the app
 * and what it started, so those are not said again; nor its status (running: it was just started; anything later is
 * get_build_logs' to say); the log resource's URI follows from the id and is named in next_step.
 */
export const startedShape = {
  deployment_id: z.string().describe('Deployment id'),
  next_step: nextStepOut,
};

export function startedView(d: Deployment): z.infer<z.ZodObject<typeof startedShape>> {
  return {
    deployment_id: d.id,
    next_step: `Poll get_build_logs("${d.id}", since_offset = the last next_offset) every 1-2 s until complete is true (or subscribe to ${deploymentLogsUri(d.id)}); then get_deployment_status and get_app_status.`,
  };
}
