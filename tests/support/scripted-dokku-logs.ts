import type { AppName } from '../../src/domain/app-name.js';
import type { DokkuLogs, FollowEnd, LogFollow, RecentLogsQuery } from '../../src/ports/dokku-logs.port.js';

export interface ScriptedContainer {
  /** Process and instance, e.g. "web.1". */
  readonly proc: string;
  /** Everything the container printed, oldest first. */
  readonly messages: readonly string[];
}

const COLOURS = [36, 33, 32, 35, 31];
const START = Date.UTC(2026, 3, 30, 13, 50, 0);

/**
 * DokkuLogs over a fixed history per container, answered as `dokku logs <app> --num N` does: the newest N lines of
 * each container, coloured prefix, containers concatenated. Container c's line k is at START + k s + c * 10 ms, so
 * merging by time interleaves them.
 */
export class ScriptedDokkuLogs implements DokkuLogs {
  readonly queries: RecentLogsQuery[] = [];

  constructor(private readonly containers: readonly ScriptedContainer[]) {}

  async recent(_app: AppName, query: RecentLogsQuery): Promise<string[]> {
    this.queries.push(query);
    return this.containers.flatMap((container, c) => {
      const from = Math.max(0, container.messages.length - query.linesPerContainer);
      return container.messages.slice(from).map((message, i) => {
        const time = new Date(START + (from + i) * 1000 + c * 10).toISOString().replace(/Z$/, '000000Z');
        return `\x1b[${COLOURS[c % COLOURS.length]}m${time} app[${container.proc}]:\x1b[0m ${message}`;
      });
    });
  }

  async failedDeploy(): Promise<string> {
    return '';
  }

  /** A history does not grow: following it prints nothing until closed. */
  async follow(): Promise<LogFollow> {
    let close!: () => void;
    const ended = new Promise<FollowEnd>((resolve) => (close = () => resolve({ type: 'closed' })));
    return { ended, close };
  }
}
