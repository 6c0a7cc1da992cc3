import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { InvalidArgument, LimitExceeded } from '../../domain/domain-errors.js';
import type { RuntimeLogItem } from '../../domain/runtime-log-item.js';
import { Limits } from '../../ports/settings.port.js';
import { SubscribeRuntimeLogs, type SubscribeRuntimeLogsError } from './subscribe-runtime-logs.use-case.js';

/** Under a client's usual 60 s request timeout, with room for the answer. */
export const FOLLOW_MAX_SECONDS = 50;
export const FOLLOW_DEFAULT_SECONDS = 15;
/**
 * Batches go out at most this often: a quiet app's line leaves at once, a busy app's lines are gathered (at most 40
 * notifications a second per call, whatever the line rate).
 */
export const FOLLOW_BATCH_MS = 25;

export type FollowEndedBy = 'seconds' | 'max_lines' | 'cancelled' | 'end';

export interface FollowRuntimeLogsInput {
  readonly appName: string;
  readonly seconds?: number;
  readonly maxLines?: number;
  readonly processType?: string;
  /** Aborted when the client cancels: the call ends at once and leaves the stream. */
  readonly signal?: AbortSignal;
  /** Each batch as it arrives (lines and markers), with the number of lines delivered so far; awaited before the next. */
  readonly onBatch?: (items: readonly RuntimeLogItem[], linesSoFar: number) => Promise<void> | void;
}

export interface FollowedRuntimeLogs {
  readonly appName: string;
  /** Lines and markers in arrival order. */
  readonly items: readonly RuntimeLogItem[];
  readonly lineCount: number;
  /** Lines had arrived beyond max_lines and were left out. */
  readonly truncated: boolean;
  readonly endedBy: FollowEndedBy;
}

export type FollowRuntimeLogsError = SubscribeRuntimeLogsError;

/**
 * Follows an app's live runtime logs for a while: joins its stream, hands over each batch as it arrives, and ends
 * after `seconds`, at `maxLines`, when the stream ends, or at once when cancelled — leaving the stream in every case.
 */
@injectable()
export class FollowRuntimeLogs {
  constructor(
    @inject(SubscribeRuntimeLogs) private readonly subscribe: SubscribeRuntimeLogs,
    @inject(Limits) private readonly limits: Limits,
  ) {}

  async execute(caller: Caller, input: FollowRuntimeLogsInput): Promise<FollowedRuntimeLogs> {
    const seconds = this.seconds(input.seconds);
    const maxLines = this.maxLines(input.maxLines);
    let wake: (() => void) | undefined;
    let interrupt: (() => void) | undefined;
    const woken = (): void => wake?.();
    const stopped = (): void => (wake?.(), interrupt?.());
    const subscription = await this.subscribe.execute(caller, { appName: input.appName, processType: input.processType, onAvailable: woken });
    const items: RuntimeLogItem[] = [];
    let lines = 0;
    let truncated = false;
    let endedBy: FollowEndedBy | undefined;
    const timer = setTimeout(() => ((endedBy ??= 'seconds'), stopped()), seconds * 1000);
    const onAbort = (): void => ((endedBy = 'cancelled'), stopped());
    input.signal?.addEventListener('abort', onAbort, { once: true });
    let lastBatch = 0;
    try {
      if (input.signal?.aborted) endedBy = 'cancelled';
      while (!endedBy) {
        if (subscription.pending === 0 && !subscription.closed) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        const wait = lastBatch + FOLLOW_BATCH_MS - Date.now();
        // Gathering must not cost lines: with half the app's buffer waiting, the batch goes now.
        if (wait > 0 && !endedBy && subscription.pending < this.limits.streamBufferSize / 2) {
          let pause: ReturnType<typeof setTimeout> | undefined;
          await new Promise<void>((resolve) => ((interrupt = resolve), (pause = setTimeout(resolve, wait))));
          clearTimeout(pause);
          interrupt = undefined;
        }
        if (endedBy === 'cancelled') break;
        const batch: RuntimeLogItem[] = [];
        for (const { item } of subscription.read()) {
          if (item.type === 'line') {
            if (lines >= maxLines) {
              truncated = true;
              break;
            }
            lines += 1;
          }
          batch.push(item);
          if (item.type === 'end') endedBy = 'end';
        }
        if (lines >= maxLines) endedBy ??= 'max_lines';
        if (subscription.closed) endedBy ??= 'end';
        if (batch.length === 0) continue;
        items.push(...batch);
        lastBatch = Date.now();
        const delivered = input.onBatch?.(batch, lines);
        // A client gone mid-send must not hold the call (and its subscription) open: cancellation wins.
        if (delivered && !endedBy) await Promise.race([delivered, new Promise<void>((resolve) => (interrupt = resolve))]);
        interrupt = undefined;
      }
    } finally {
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
      subscription.close();
    }
    return { appName: subscription.app, items, lineCount: lines, truncated, endedBy };
  }

  private seconds(seconds: number | undefined): number {
    if (seconds === undefined) return FOLLOW_DEFAULT_SECONDS;
    if (!(seconds > 0) || seconds > FOLLOW_MAX_SECONDS) {
      throw new InvalidArgument('seconds', `must be more than 0 and at most ${FOLLOW_MAX_SECONDS} (under a client's usual 60 s request timeout); got ${seconds}`, 'Call again with seconds from 1 to 50; to follow longer, call again when it returns.');
    }
    return seconds;
  }

  private maxLines(maxLines: number | undefined): number {
    const { runtimeMaxLines } = this.limits;
    if (maxLines === undefined) return runtimeMaxLines;
    if (!Number.isInteger(maxLines) || maxLines < 1) throw new InvalidArgument('max_lines', `must be a whole number from 1 to ${runtimeMaxLines}; got ${maxLines}`);
    if (maxLines > runtimeMaxLines) {
      throw new LimitExceeded(
        `max_lines=${maxLines} is more than this server allows (logs.runtime.max_lines = ${runtimeMaxLines}).`,
        `Ask for at most ${runtimeMaxLines} lines.`,
      );
    }
    return maxLines;
  }
}
