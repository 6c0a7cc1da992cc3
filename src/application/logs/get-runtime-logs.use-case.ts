import { inject, injectable } from 'inversify';
import { ProcessType } from '../../domain/dokku-values.js';
import { InvalidArgument, LimitExceeded, type AppNotFound, type HostUnreachable, type NotDeployed, type AccessDenied } from '../../domain/domain-errors.js';
import { compareLogLines, LogLine } from '../../domain/log-line.js';
import { DokkuLogs } from '../../ports/dokku-logs.port.js';
import { Limits } from '../../ports/settings.port.js';
import type { Sanitizer } from '../../domain/sanitizer.js';
import { AppSecrets } from '../config/app-secrets.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';
import { RuntimeLogHub } from './runtime-log-hub.js';

export interface RuntimeLogs {
  readonly appName: string;
  /** How many lines were asked for, after the default (logs.runtime.default_lines); fewer come when the app has fewer. */
  readonly requestedLines: number;
  /** The newest `requestedLines` lines of all containers, merged by timestamp, sanitized. */
  readonly entries: readonly LogLine[];
  /** Answered from the app's live stream (it is being followed and provably holds the same lines), not the host. */
  readonly fromStream: boolean;
}
export type GetRuntimeLogsError = InvalidArgument | AccessDenied | LimitExceeded | AppNotFound | NotDeployed | HostUnreachable;

/**
 * The latest runtime log lines of an app (`logs --num`), parsed, merged across containers and sanitized with the
 * app's own config values as well as the patterns. Redaction runs over each container's lines before the window is
 * cut, so a window that starts inside a private key starts redacted. While the app is followed live and the stream's
 * buffer provably holds the same answer (RuntimeLogHub.recentLines), it answers without asking the host.
 */
@injectable()
export class GetRuntimeLogs {
  constructor(
    @inject(DokkuLogs) private readonly logs: DokkuLogs,
    @inject(Limits) private readonly limits: Limits,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(RuntimeLogHub) private readonly hub: RuntimeLogHub,
  ) {}

  async execute(caller: Caller, input: { appName: string; lines?: number; processType?: string }): Promise<RuntimeLogs> {
    const app = this.access.app(caller, input.appName, 'read');
    const lines = this.lineCount(input.lines);
    const processType = input.processType === undefined ? undefined : ProcessType.of(input.processType);
    const buffered = this.hub.recentLines(app, lines, processType);
    if (buffered) return { appName: app.value, requestedLines: lines, entries: buffered, fromStream: true };
    // Dokku's --num counts per container: ask each for `lines`, then keep the newest `lines` overall. The config read
    // runs alongside (and is cached), so a poll costs one SSH command in the common case.
    const [raw, sanitizer] = await Promise.all([
      this.logs.recent(app, { linesPerContainer: lines, processType }),
      this.secrets.sanitizerFor(app),
    ]);
    const parsed = raw.filter((line) => line.length > 0).map((line) => LogLine.parse(line));
    const redacted = redactPerContainer(parsed, sanitizer);
    const merged = redacted
      .map((line, index) => ({ line, index }))
      .sort((a, b) => compareLogLines(a.line, b.line) || a.index - b.index)
      .slice(-lines)
      .map(({ line }) => line);
    return { appName: app.value, requestedLines: lines, entries: merged, fromStream: false };
  }

  private lineCount(requested: number | undefined): number {
    const { runtimeDefaultLines, runtimeMaxLines } = this.limits;
    if (requested === undefined) return runtimeDefaultLines;
    if (!Number.isInteger(requested) || requested < 1) {
      throw new InvalidArgument('lines', `must be a whole number from 1 to ${runtimeMaxLines}; got ${requested}`);
    }
    if (requested > runtimeMaxLines) {
      throw new LimitExceeded(
        `lines=${requested} is more than this server allows (logs.runtime.max_lines = ${runtimeMaxLines}).`,
        `Ask for at most ${runtimeMaxLines} lines.`,
      );
    }
    return requested;
  }
}

/** A key spans lines of one container: each container's lines are redacted as one run, in Dokku's (time) order. */
function redactPerContainer(lines: readonly LogLine[], sanitizer: Sanitizer): LogLine[] {
  const byProcess = new Map<string, number[]>();
  lines.forEach((line, index) => {
    const key = line.process ?? '';
    const indexes = byProcess.get(key);
    if (indexes) indexes.push(index);
    else byProcess.set(key, [index]);
  });
  const out = [...lines];
  for (const indexes of byProcess.values()) {
    const messages = sanitizer.redactLines(indexes.map((i) => (lines[i] as LogLine).message));
    indexes.forEach((i, k) => (out[i] = { ...(lines[i] as LogLine), message: messages[k] as string }));
  }
  return out;
}
