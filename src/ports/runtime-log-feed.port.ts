import type { RuntimeLogItem } from '../domain/runtime-log-item.js';

/** One item of an app's feed with its id (`<ms>-<seq>`, increasing: see domain/feed-entry-id). */
export interface FeedEntry {
  readonly id: string;
  readonly item: RuntimeLogItem;
}

/** What a reader of a feed is told. Never called after the tail is closed; exceptions are ignored. */
export interface FeedListener {
  /** Entries appended after the last ones delivered, in order. */
  entries(entries: readonly FeedEntry[]): void;
  /** Reading was interrupted (the store unreachable) and entries in between may be missing; it goes on by itself. */
  lost(reason: string): void;
}

/** A running read of one app's feed. */
export interface FeedTail {
  /** Stops reading at once. Idempotent. */
  close(): void;
}

/**
 * Every app's live runtime logs as the one instance that follows the app writes them (lines already parsed and
 * sanitized, and markers), capped at logs.runtime.stream_buffer_size entries per app (the oldest dropped), read by
 * every instance with subscribers. With store.type: memory the process is the cluster (`shared` false: the hub follows
 * apps itself); with Redis it is a capped stream per app, and the stream entry id is every subscriber's cursor.
 */
export const RuntimeLogFeed = Symbol('RuntimeLogFeed');
export interface RuntimeLogFeed {
  /** Other instances read and write it too: the follower of an app is chosen by lease. */
  readonly shared: boolean;
  /** Appends the items in order. Throws StateStoreUnavailable (none, or only the first ones, were appended). */
  append(app: string, items: readonly RuntimeLogItem[]): Promise<void>;
  /** The newest `count` entries, oldest first. Throws StateStoreUnavailable. */
  latest(app: string, count: number): Promise<FeedEntry[]>;
  /** Delivers every entry appended after entry id `after` ("0-0": all) until closed; it retries by itself. Never throws. */
  tail(app: string, after: string, listener: FeedListener): FeedTail;
  /** Tells the app's follower, wherever it runs, that the app's containers changed. Throws StateStoreUnavailable. */
  announceChange(app: string, reason: string): Promise<void>;
  /** Hears announceChange for `app` (the follower's instance listens) until the returned function is called. Throws StateStoreUnavailable. */
  onChange(app: string, listener: (reason: string) => void): Promise<() => Promise<void>>;
}
