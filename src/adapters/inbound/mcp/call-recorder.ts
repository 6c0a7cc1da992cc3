import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { inject, injectable } from 'inversify';
import { AppSecrets } from '../../../application/config/app-secrets.js';
import { MASK } from '../../../application/config/get-app-config.use-case.js';
import { isDenial } from '../../../domain/access-errors.js';
import type { Caller } from '../../../domain/caller.js';
import { isDomainError, RefusedBeforeHost } from '../../../domain/domain-errors.js';
import { looksLikePrivateKey } from '../../../domain/ssh-key.js';
import { AuditLog, type AuditOutcome } from '../../../ports/audit-log.port.js';
import { Clock } from '../../../ports/clock.port.js';
import { Metrics } from '../../../ports/metrics.port.js';
import type { McpTool } from './tool-definition.js';

/** How a call ended, as the recorder needs it: the answer given, or the error behind it. */
export type CallEnd =
  | { readonly result: CallToolResult }
  | { readonly error: unknown }
  /** Refused before running (an unavailable tool, bad arguments): the code said in the audit. */
  | { readonly refused: 'denied' | 'error'; readonly code: string };

/**
 * Records every tool call for operators: a metric for each (tool, outcome, duration) and, for tools with side effects,
 * one audit line — also for calls that failed or were refused. The audit's arguments pass the sanitizer (with the
 * app's own config values where the call reached the app) and config values are masked, whatever they are.
 */
@injectable()
export class CallRecorder {
  constructor(
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(Metrics) private readonly metrics: Metrics,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async record(tool: Pick<McpTool, 'name' | 'kind'>, caller: Caller, args: Record<string, unknown>, startedMs: number, end: CallEnd): Promise<void> {
    const durationMs = Math.max(0, Date.now() - startedMs);
    const { outcome, code, deploymentId } = describe(end);
    this.metrics.toolCall(tool.name, outcome, durationMs);
    if (tool.kind === 'read') return;
    // The app's config is read for redaction only where the call was allowed to reach the app: a refused call must
    // not make us ask the host about another tenant's app.
    const refusedBeforeHost = 'error' in end && end.error instanceof RefusedBeforeHost;
    const reachedApp = outcome === 'ok' || (outcome === 'error' && code !== 'APP_NOT_FOUND' && code !== 'INVALID_ARGUMENT' && !refusedBeforeHost);
    const redact = (text: string) => this.secrets.redact(reachedApp ? args.app_name : undefined, text);
    this.audit.record({
      time: this.clock.now().toISOString(),
      transport: caller.transport,
      session_id: caller.sessionId,
      token_id: caller.tokenId,
      tenant: caller.tenant,
      tool: tool.name,
      arguments: (await sanitized(args, redact)) as Record<string, unknown>,
      outcome,
      error_code: code,
      deployment_id: deploymentId ?? (typeof args.deployment_id === 'string' ? await redact(args.deployment_id) : null),
      duration_ms: durationMs,
    });
  }
}

function describe(end: CallEnd): { outcome: AuditOutcome; code: string | null; deploymentId?: string } {
  if ('refused' in end) return { outcome: end.refused, code: end.code };
  if ('result' in end) {
    const id = (end.result.structuredContent as { deployment_id?: unknown } | undefined)?.deployment_id;
    const deploymentId = typeof id === 'string' ? id : undefined;
    return end.result.isError ? { outcome: 'error', code: 'TOOL_ERROR', deploymentId } : { outcome: 'ok', code: null, deploymentId };
  }
  const error = end.error;
  if (!isDomainError(error)) return { outcome: 'error', code: 'INTERNAL' };
  const conflictId = (error as { deploymentId?: unknown }).deploymentId;
  return { outcome: isDenial(error) ? 'denied' : 'error', code: error.code, deploymentId: typeof conflictId === 'string' ? conflictId : undefined };
}

/** Strings redacted, every config value (`vars`) masked, a private key given as `public_key` masked whole; structure kept. */
async function sanitized(value: unknown, redact: (text: string) => Promise<string>, key?: string): Promise<unknown> {
  if (typeof value === 'string') return key === 'vars' || (key === 'public_key' && looksLikePrivateKey(value)) ? MASK : redact(value);
  if (Array.isArray(value)) return Promise.all(value.map((v) => sanitized(v, redact)));
  if (typeof value !== 'object' || value === null) return value;
  const entries = await Promise.all(
    Object.entries(value).map(async ([k, v]) => [await redact(k), key === 'vars' ? MASK : await sanitized(v, redact, k)] as const),
  );
  return Object.fromEntries(entries);
}
