import type { LogLine } from './log-line.js';

/**
 * What a live runtime-log stream carries: the app's lines, and markers where it could not carry them all.
 * - `gap`: lines were lost (the reader fell behind the buffer, the connection dropped, Dokku's follower ended);
 *   `missed` is how many (an estimate, or null when nobody can know).
 * - `restarted`: the app's containers changed (deploy, restart, scale...) and the stream follows the new ones.
 * - `end`: nothing more will come (the app was destroyed, or has no running containers); `reason` says which.
 */
export type StreamMarker =
  | { readonly type: 'gap'; readonly missed: number | null; readonly reason: string }
  | { readonly type: 'restarted'; readonly missed: number | null; readonly reason: string }
  | { readonly type: 'end'; readonly reason: string };

export type RuntimeLogItem = { readonly type: 'line'; readonly line: LogLine } | StreamMarker;

export const isMarker = (item: RuntimeLogItem): item is StreamMarker => item.type !== 'line';
