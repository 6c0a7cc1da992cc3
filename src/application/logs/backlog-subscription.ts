import type { Caller } from '../../domain/caller.js';
import { compareLogLines, type LogLine } from '../../domain/log-line.js';
import type { RuntimeLogItem } from '../../domain/runtime-log-item.js';
import type { RuntimeLogEvent, RuntimeLogSubscription } from './runtime-log-subscription.js';

/**
 * A live subscription with a backlog delivered first: the newest lines as a `logs --num` poll (or the stream's own
 * buffer) gave them, then the live ones.
 *
 * The seam, when the backlog came from the host: the subscription joined the stream BEFORE the poll was sent, so
 * every line written after the join is in the live part (nothing is lost between the two), and a line written between
 * the join and the poll is in both. Such a line is dropped from the live part: it is the same line of the same
 * container (same process, same timestamp to the nanosecond — Docker's), already delivered in the backlog. Per process
 * the live lines come in the container's own order, so once a live line is newer than the backlog's newest of its
 * process, no later one can repeat the backlog: the process's keys are forgotten, and with all of them gone, the live
 * part passes untouched. What the backlog's ids say: each one resumes right after the join (`resumeId`), so a client
 * reconnecting after any backlog line gets every live line and none of the backlog again.
 */
export class BacklogSubscription implements RuntimeLogSubscription {
  private backlog: RuntimeLogEvent[];
  /** Per process: timestamps of backlog lines the live part may repeat, and the newest of them. */
  private readonly repeats = new Map<string, { readonly stamps: Set<string>; readonly newest: LogLine }>();

  constructor(
    private readonly live: RuntimeLogSubscription,
    backlog: readonly RuntimeLogItem[],
    /** The backlog was read from the host after the join: the live part may repeat its newest lines. */
    fromHost: boolean,
  ) {
    const id = live.resumeId;
    this.backlog = backlog.map((item) => ({ id, item }));
    if (!fromHost) return;
    for (const item of backlog) {
      if (item.type !== 'line' || item.line.timestamp === undefined) continue;
      const key = item.line.process ?? '';
      const entry = this.repeats.get(key);
      if (!entry) this.repeats.set(key, { stamps: new Set([item.line.timestamp]), newest: item.line });
      else {
        entry.stamps.add(item.line.timestamp);
        if (compareLogLines(item.line, entry.newest) > 0) this.repeats.set(key, { stamps: entry.stamps, newest: item.line });
      }
    }
  }

  get app(): string {
    return this.live.app;
  }

  get caller(): Caller {
    return this.live.caller;
  }

  get pending(): number {
    return this.backlog.length + this.live.pending;
  }

  get resumeId(): string {
    return this.live.resumeId;
  }

  get closed(): boolean {
    return this.backlog.length === 0 && this.live.closed;
  }

  read(max?: number): RuntimeLogEvent[] {
    const first = this.backlog.splice(0, max === undefined ? this.backlog.length : Math.max(0, max));
    if (this.backlog.length > 0) return first;
    const room = max === undefined ? undefined : max - first.length;
    if (room === 0) return first;
    const live = this.readLive(room);
    return first.length === 0 ? live : [...first, ...live];
  }

  skip(): number {
    const skipped = this.backlog.length;
    this.backlog = [];
    return skipped + this.live.skip();
  }

  latest(lines: number): RuntimeLogItem[] {
    return this.live.latest(lines);
  }

  catchUp(): { lines: number; dropped: number } {
    this.backlog = [];
    return this.live.catchUp();
  }

  close(): void {
    this.backlog = [];
    this.live.close();
  }

  private readLive(max?: number): RuntimeLogEvent[] {
    const events = this.live.read(max);
    if (this.repeats.size === 0) return events;
    return events.filter((event) => !this.repeatsBacklog(event.item));
  }

  private repeatsBacklog(item: RuntimeLogItem): boolean {
    if (item.type !== 'line' || item.line.timestamp === undefined) return false;
    const key = item.line.process ?? '';
    const entry = this.repeats.get(key);
    if (!entry) return false;
    if (entry.stamps.delete(item.line.timestamp)) {
      if (entry.stamps.size === 0) this.repeats.delete(key);
      return true;
    }
    if (compareLogLines(item.line, entry.newest) > 0) this.repeats.delete(key);
    return false;
  }
}
