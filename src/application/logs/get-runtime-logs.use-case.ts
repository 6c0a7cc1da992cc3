import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import { ProcessType } from '../../domain/dokku-values.js';
import { InvalidArgument, LimitExceeded, type AppNotFound, type HostUnreachable, type NotDeployed } from '../../domain/domain-errors.js';
import { compareLogLines, LogLine } from '../../domain/log-line.js';
import { Sanitizer } from '../../domain/sanitizer.js';
import { DokkuLogs } from '../../ports/dokku-logs.port.js';
import { Limits } from '../../ports/settings.port.js';

export interface RuntimeLogs {
  readonly appName: string;
  /** How many lines were asked for, after the default (logs.runtime.default_lines); fewer come when the app has fewer. */
  readonly requestedLines: number;
  /** The newest `requestedLines` lines of all containers, merged by timestamp, sanitized. */
  readonly entries: readonly LogLine[];
}
export type GetRuntimeLogsError = InvalidArgument | LimitExceeded | AppNotFound | NotDeployed | HostUnreachable;

/** The latest runtime log lines of an app (`logs --num`), parsed, merged across containers and sanitized. */
@injectable()
export class GetRuntimeLogs {
  constructor(
    @inject(DokkuLogs) private readonly logs: DokkuLogs,
    @inject(Limits) private readonly limits: Limits,
    @inject(Sanitizer) private readonly sanitizer: Sanitizer,
  ) {}

  async execute(input: { appName: string; lines?: number; processType?: string }): Promise<RuntimeLogs> {
    const app = AppName.of(input.appName);
    const lines = this.lineCount(input.lines);
    const processType = input.processType === undefined ? undefined : ProcessType.of(input.processType);
    // Dokku's --num counts per container: ask each for `lines`, then keep the newest `lines` overall.
    const raw = await this.logs.recent(app, { linesPerContainer: lines, processType });
    const parsed = raw.filter((line) => line.length > 0).map((line) => LogLine.parse(line));
    const redact = this.sanitizer.lineByLine();
    const merged = parsed
      .map((line, index) => ({ line, index }))
      .sort((a, b) => compareLogLines(a.line, b.line) || a.index - b.index)
      .slice(-lines)
      .map(({ line }) => ({ ...line, message: redact(line.message) }));
    return { appName: app.value, requestedLines: lines, entries: merged };
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
