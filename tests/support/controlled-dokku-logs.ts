import type { AppName } from '../../src/domain/app-name.js';
import type { DokkuLogs, FollowEnd, FollowLogsQuery, LogFollow, RecentLogsQuery } from '../../src/ports/dokku-logs.port.js';

const COLOURS = [36, 33, 32, 35, 31];

/** One follow a test drives: it prints what the test says, and ends when the test (or the hub) says so. */
export class ControlledFollow implements LogFollow {
  readonly ended: Promise<FollowEnd>;
  closed = false;
  /** Ended (exit, loss or close). */
  done = false;
  private resolve!: (end: FollowEnd) => void;

  constructor(
    readonly app: string,
    readonly query: FollowLogsQuery,
    private readonly onOutput: (chunk: string) => void,
  ) {
    this.ended = new Promise((resolve) => (this.resolve = resolve));
  }

  /** Raw output, exactly as given (may split lines). */
  write(chunk: string): void {
    if (!this.done) this.onOutput(chunk);
  }

  /** Lines in Dokku's format (colour, RFC 3339 with nanoseconds, app[proc]), CRLF as under a pty. */
  print(...lines: Array<{ proc?: string; message: string; at?: string }>): void {
    this.write(lines.map(({ proc = 'web.1', message, at = new Date().toISOString().replace(/Z$/, '123456Z') }, i) =>
      `\x1b[${COLOURS[i % COLOURS.length]}m${at} app[${proc}]:\x1b[0m ${message}\r\n`).join(''));
  }

  exit(code: number | null, said?: string): void {
    if (said) this.write(` !     ${said}\r\n`);
    this.finish({ type: 'exited', exitCode: code });
  }

  lose(reason = 'the SSH connection was lost'): void {
    this.finish({ type: 'lost', reason });
  }

  close(): void {
    this.closed = true;
    this.finish({ type: 'closed' });
  }

  private finish(end: FollowEnd): void {
    if (this.done) return;
    this.done = true;
    this.resolve(end);
  }
}

/** DokkuLogs whose follows the test drives; polls answer nothing. */
export class ControlledDokkuLogs implements DokkuLogs {
  readonly follows: ControlledFollow[] = [];
  /** Errors the next follow() calls reject with, in order. */
  readonly failures: Error[] = [];

  async recent(_app: AppName, _query: RecentLogsQuery): Promise<string[]> {
    return [];
  }

  async failedDeploy(): Promise<string> {
    return '';
  }

  /** The next follow() waits for this before it starts: a follower kept restarting. */
  holdNextFollow?: Promise<void>;

  async follow(app: AppName, query: FollowLogsQuery, onOutput: (chunk: string) => void): Promise<LogFollow> {
    const hold = this.holdNextFollow;
    this.holdNextFollow = undefined;
    if (hold) await hold;
    const failure = this.failures.shift();
    if (failure) throw failure;
    const follow = new ControlledFollow(app.value, query, onOutput);
    this.follows.push(follow);
    return follow;
  }

  /** Follows not ended. */
  get live(): ControlledFollow[] {
    return this.follows.filter((f) => !f.done);
  }

  get last(): ControlledFollow {
    const follow = this.follows.at(-1);
    if (!follow) throw new Error('nothing was followed');
    return follow;
  }
}
