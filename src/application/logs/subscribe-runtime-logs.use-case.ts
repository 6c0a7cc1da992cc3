import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { ProcessType } from '../../domain/dokku-values.js';
import { InvalidArgument, type AccessDenied, type AppNotFound, type HostUnreachable, type LimitExceeded, type NotDeployed } from '../../domain/domain-errors.js';
import type { RuntimeLogItem } from '../../domain/runtime-log-item.js';
import { Limits } from '../../ports/settings.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { BacklogSubscription } from './backlog-subscription.js';
import { GetRuntimeLogs } from './get-runtime-logs.use-case.js';
import { RuntimeLogHub, type RuntimeLogSubscription } from './runtime-log-hub.js';

export interface SubscribeRuntimeLogsInput {
  readonly appName: string;
  readonly processType?: string;
  /** Resume after this event id (SSE's Last-Event-ID). */
  readonly after?: string;
  /** The newest lines to deliver first (0..logs.runtime.max_lines): from the stream's buffer, or the host when it holds fewer. */
  readonly backlog?: number;
  readonly onAvailable?: () => void;
}

/** How long a backlog read from the host waits for a new follower's first line (see execute). */
const FIRST_LINE_WAIT_MS = 2_000;

export type SubscribeRuntimeLogsError = InvalidArgument | AccessDenied | LimitExceeded | AppNotFound | NotDeployed | HostUnreachable;

/**
 * Joins an app's live runtime logs (starting its follower when nobody follows it yet), for an app the caller sees.
 * The subscription counts against the caller's session and tenant until it is closed. A backlog of N lines comes from
 * the stream's buffer when it holds N (of the process type asked for), else from a fresh `logs --num N`
 * (GetRuntimeLogs: sanitized, merged) read after joining — see BacklogSubscription for the seam.
 */
@injectable()
export class SubscribeRuntimeLogs {
  constructor(
    @inject(RuntimeLogHub) private readonly hub: RuntimeLogHub,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(Limits) private readonly limits: Limits,
    @inject(GetRuntimeLogs) private readonly recent: GetRuntimeLogs,
  ) {}

  async execute(caller: Caller, input: SubscribeRuntimeLogsInput): Promise<RuntimeLogSubscription> {
    const app = this.access.app(caller, input.appName, 'read');
    const processType = input.processType === undefined ? undefined : ProcessType.of(input.processType);
    const backlog = this.backlogSize(input.backlog);
    let woken: (() => void) | undefined;
    const onAvailable = (): void => {
      woken?.();
      input.onAvailable?.();
    };
    const live = await this.hub.join(caller, app, { processType, after: input.after, onAvailable });
    if (input.after !== undefined || backlog === 0) return live;
    try {
      const buffered = live.latest(backlog);
      if (buffered.filter((item) => item.type === 'line').length >= backlog) return new BacklogSubscription(live, buffered, false);
      // Joined first, polled second: a line written in between is in both, and BacklogSubscription drops the repeat.
      // But a follow just started is not reading yet (Dokku's `logs --tail` takes a moment to attach): until its first
      // line comes, what is written would be in neither. So the poll waits for that line (a while at most: a quiet app
      // may print none) unless the stream's newest item is a line already, i.e. its follow reads.
      if (buffered.at(-1)?.type !== 'line' && live.pending === 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          woken = resolve;
          timer = setTimeout(resolve, FIRST_LINE_WAIT_MS);
        });
        clearTimeout(timer);
        woken = undefined;
      }
      const { entries } = await this.recent.execute(caller, { appName: app.value, lines: backlog, processType: processType?.value });
      const items = entries.map((line): RuntimeLogItem => ({ type: 'line', line }));
      const subscription = new BacklogSubscription(live, items, true);
      input.onAvailable?.();
      return subscription;
    } catch (error) {
      live.close();
      throw error;
    }
  }

  private backlogSize(requested: number | undefined): number {
    const { runtimeMaxLines } = this.limits;
    const backlog = requested ?? 0;
    if (!Number.isInteger(backlog) || backlog < 0 || backlog > runtimeMaxLines) {
      throw new InvalidArgument(
        'lines',
        `must be a whole number from 0 to ${runtimeMaxLines} (logs.runtime.max_lines = ${runtimeMaxLines}); got ${backlog}`,
        `Ask for at most ${runtimeMaxLines} lines.`,
      );
    }
    return backlog;
  }
}
