import type { AppName } from '../../domain/app-name.js';
import type { LogStream } from '../../domain/log-stream.js';
import type { RuntimeLogItem } from '../../domain/runtime-log-item.js';

/** Where a new subscription's cursor starts. */
export interface CursorStart {
  /** Resume right after the item with this sequence number. */
  readonly after?: number;
  /** Deliver up to this many of the newest buffered items first. */
  readonly replay?: number;
  /** A `gap` comes first, with this reason (the resume id named another stream, or lines older than the buffer). */
  readonly gap?: string;
}

/** What the hub's subscriptions read: an app's buffered stream and the ids its events carry. */
export interface LogSource {
  readonly app: AppName;
  readonly stream: LogStream<RuntimeLogItem>;
  /** logs.runtime.stream_buffer_size, for the reason of a reader's gap. */
  readonly bufferSize: number;
  /** The id of the last of the first `consumed` items: resuming after it delivers item number `consumed` next. */
  eventId(consumed: number): string;
  /** Where a reader joining with these options starts (a resume id, else a backlog). */
  start(options: { readonly after?: string; readonly backlog?: number }): CursorStart;
}

/** The reason of the `gap` a resume id of another stream gets. */
export const FOREIGN_ID = 'the stream that event id belongs to is gone (the follower was restarted); what came since is unknown';

/** Event ids of one process's follower read `<epoch>-<n>`: the n-th item of the stream whose follower has that epoch (n counts from 1). */
export function cursorId(epoch: string, consumed: number): string {
  return `${epoch}-${consumed}`;
}

export function parseCursor(id: string): { epoch: string; seq: number } | undefined {
  const match = /^([0-9a-z]{1,16})-(\d{1,15})$/.exec(id);
  return match ? { epoch: match[1] as string, seq: Number(match[2]) } : undefined;
}
