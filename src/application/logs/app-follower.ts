import type { AppName } from '../../domain/app-name.js';
import { isDomainError } from '../../domain/domain-errors.js';
import { compareLogLines, LogLine } from '../../domain/log-line.js';
import { LogStream } from '../../domain/log-stream.js';
import type { RuntimeLogItem, StreamMarker } from '../../domain/runtime-log-item.js';
import type { Sanitizer } from '../../domain/sanitizer.js';
import type { DokkuApps } from '../../ports/dokku-apps.port.js';
import type { DokkuLogs, FollowEnd, LogFollow } from '../../ports/dokku-logs.port.js';
import type { Logger } from '../../ports/logger.port.js';
import type { AppSecrets } from '../config/app-secrets.js';
import type { ContainerChanges } from './container-changes.js';
import { cursorId, FOREIGN_ID, parseCursor, type CursorStart, type LogSource } from './log-source.js';

export interface FollowerDeps {
  readonly logs: DokkuLogs;
  readonly apps: DokkuApps;
  readonly secrets: AppSecrets;
  readonly logger: Logger;
  /** Told when a follow of the app's current containers starts and when the follower is over (HostChangeWatch listens). */
  readonly changes?: Pick<ContainerChanges, 'followStarted' | 'followEnded'>;
}

export interface FollowerOptions {
  readonly bufferSize: number;
  readonly lingerMs: number;
  /** Names this follower's stream in cursor ids, so an id from another stream (or process) is never taken for ours. */
  readonly epoch: string;
}

/** Retries after a lost connection or an ended remote follower: 250 ms, doubling, at most 5 s apart. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;
/** A line longer than this without a newline is cut there: one app's runaway output must not grow memory. */
const MAX_LINE_CHARS = 64 * 1024;
/** Dokku's own lines (refusals, warnings) kept to explain why a follow ended. */
const DOKKU_LINES_KEPT = 5;

type State = 'starting' | 'following' | 'retrying' | 'ended' | 'stopped';

/**
 * One app's follower: one `logs <app> --tail` at a time through the logs port, its output parsed and sanitized once
 * into the app's LogStream, which every subscriber reads with its own cursor. It follows what Dokku runs: when the
 * containers change (`replaced`) it starts again with --num 0 (so nothing repeats) behind a `restarted` marker; when
 * the remote follower ends by itself or the connection drops, a `gap` marker and a retry with backoff; when the app is
 * gone or has no running containers, `end`. The hub stops it `lingerMs` after its last subscriber left.
 */
export class AppFollower implements LogSource {
  readonly stream: LogStream<RuntimeLogItem>;
  private state: State = 'starting';
  private generation = 0;
  private follow?: LogFollow;
  private sanitizer?: Sanitizer;
  private readonly redactors = new Map<string, (line: string) => string>();
  private partial = '';
  private dokkuSaid: string[] = [];
  private retries = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private lingerTimer?: ReturnType<typeof setTimeout>;
  /** First sequence number of the current follow's lines, while no marker has been pushed since (see recentLines). */
  private cleanFrom?: number;

  constructor(
    readonly app: AppName,
    private readonly deps: FollowerDeps,
    readonly options: FollowerOptions,
    /** Called once, when the follower is over (ended or stopped): the hub forgets it. */
    private readonly gone: (follower: AppFollower) => void,
  ) {
    this.stream = new LogStream<RuntimeLogItem>(options.bufferSize);
  }

  get bufferSize(): number {
    return this.options.bufferSize;
  }

  eventId(consumed: number): string {
    return cursorId(this.options.epoch, consumed);
  }

  start(options: { readonly after?: string; readonly backlog?: number }): CursorStart {
    if (options.after === undefined) return { replay: options.backlog };
    const cursor = parseCursor(options.after);
    if (!cursor || cursor.epoch !== this.options.epoch) return { gap: FOREIGN_ID };
    return { after: cursor.seq - 1 };
  }

  get isOver(): boolean {
    return this.state === 'ended' || this.state === 'stopped';
  }

  get lingering(): boolean {
    return this.lingerTimer !== undefined;
  }

  /** Starts the first follow; rejects (and the follower is over) when it cannot start. */
  async open(): Promise<void> {
    try {
      await this.startFollow();
    } catch (error) {
      this.stop();
      throw error;
    }
  }

  /** The app's containers changed: follow the new ones from now on. */
  replaced(reason: string): void {
    if (this.isOver || this.state === 'starting') return; // a follow being opened now already sees the new containers
    this.closeFollow();
    this.mark({ type: 'restarted', missed: null, reason: `the app's containers changed (${reason}); following the new ones` });
    this.retries = 0;
    this.restart();
  }

  /** No subscriber left: stop after the linger, unless one joins meanwhile (`keep`). */
  linger(): void {
    if (this.isOver || this.lingerTimer) return;
    if (this.options.lingerMs <= 0) return this.stop();
    this.lingerTimer = setTimeout(() => this.stop(), this.options.lingerMs);
    this.lingerTimer.unref?.();
  }

  keep(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  /** Ends the remote follower and the stream now. Idempotent. */
  stop(): void {
    if (this.isOver) return;
    this.state = 'stopped';
    this.shutDown();
  }

  /**
   * The newest `count` lines (of `processType` when given), time-ordered as a `logs --num` poll merges them — only when
   * the buffer provably holds the same answer: the current follow started with --num 0 and no marker since (no gap, no
   * restart: the same containers throughout), nothing of it has been dropped from the buffer, and it holds at least
   * `count` matching lines. Lines written after the follow started are newer than any written before it, so the
   * newest `count` overall are all among them. Otherwise undefined: ask the host.
   */
  recentLines(count: number, processType?: string): LogLine[] | undefined {
    const from = this.cleanFrom;
    if (this.state !== 'following' || from === undefined || from < this.stream.oldestSeq || count < 1) return undefined;
    const lines: LogLine[] = [];
    this.stream.visitNewest((item, seq) => {
      if (seq < from) return false;
      if (item.type === 'line' && matchesProcess(item.line, processType)) lines.push(item.line);
      return true; // every line since `from`: arrival order across containers is not time order
    });
    if (lines.length < count) return undefined;
    return lines
      .reverse()
      .map((line, index) => ({ line, index }))
      .sort((a, b) => compareLogLines(a.line, b.line) || a.index - b.index)
      .slice(-count)
      .map(({ line }) => line);
  }

  private async startFollow(): Promise<void> {
    const generation = ++this.generation;
    this.partial = '';
    this.redactors.clear();
    this.dokkuSaid = [];
    // The app's own config values are secrets in its output too; read once per follow (cached, never rejects).
    this.sanitizer = await this.deps.secrets.sanitizerFor(this.app);
    if (this.isOver || generation !== this.generation) return;
    const follow = await this.deps.logs.follow(this.app, { num: 0 }, (chunk) => {
      if (generation === this.generation && !this.isOver) this.onChunk(chunk);
    });
    if (this.isOver || generation !== this.generation) return follow.close();
    this.follow = follow;
    this.state = 'following';
    this.cleanFrom = this.stream.totalPushed;
    this.deps.changes?.followStarted(this.app);
    void follow.ended.then((end) => this.onEnded(generation, end));
  }

  private restart(): void {
    this.state = 'retrying';
    this.startFollow().catch((error: unknown) => {
      this.deps.logger.debug('could not follow the app\'s logs; retrying', { app: this.app.value, error });
      this.retryLater();
    });
  }

  private retryLater(): void {
    if (this.isOver) return;
    clearTimeout(this.retryTimer);
    const delay = Math.min(RETRY_FIRST_MS * 2 ** this.retries, RETRY_MAX_MS);
    this.retries += 1;
    this.state = 'retrying';
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.isOver) this.restart();
    }, delay);
    this.retryTimer.unref?.();
  }

  private onEnded(generation: number, end: FollowEnd): void {
    if (generation !== this.generation || this.isOver) return;
    this.flushPartial();
    this.follow = undefined;
    if (end.type === 'closed') return this.finish('the server closed its connection to the Dokku host'); // shutting down
    if (end.type === 'lost') return this.interrupted(`the SSH connection was lost (${end.reason}); reconnecting`);
    void this.afterExit(generation, end.exitCode);
  }

  /** Dokku's follower exited by itself: the app is gone, or stopped, or the containers it followed were replaced. */
  private async afterExit(generation: number, exitCode: number | null): Promise<void> {
    const said = this.dokkuSaid.join('\n');
    const gone = `the app ${this.app.value} no longer exists`;
    if (exitCode === 20 || /does not exist/.test(said)) return this.finish(gone);
    if (/has not been deployed/.test(said)) return this.finish(`the app ${this.app.value} is not deployed`);
    let running: boolean;
    try {
      const status = await this.deps.apps.status(this.app);
      if (!status.deployed) return this.finish(`the app ${this.app.value} is not deployed`);
      running = status.running !== 'false' && status.processes.some((p) => p.status === 'running');
    } catch (error) {
      if (isDomainError(error) && error.code === 'APP_NOT_FOUND') return this.finish(gone);
      if (generation === this.generation) this.interrupted('Dokku\'s follower ended and the host could not be asked why; retrying');
      return;
    }
    if (generation !== this.generation || this.isOver) return;
    if (!running) return this.finish(`the app ${this.app.value} has no running containers`);
    this.interrupted('Dokku\'s follower ended (the containers it followed are gone); following the current ones');
  }

  private interrupted(reason: string): void {
    if (this.isOver) return;
    const last = this.stream.totalPushed > 0 ? this.stream.itemsFrom(this.stream.totalPushed - 1)[0] : undefined;
    // One gap per silence: retries that fail again add nothing a reader can use.
    if (last?.type !== 'gap') this.mark({ type: 'gap', missed: null, reason });
    else this.cleanFrom = undefined;
    this.retryLater();
  }

  private finish(reason: string): void {
    if (this.isOver) return;
    this.state = 'ended';
    this.stream.push({ type: 'end', reason });
    this.shutDown();
  }

  private shutDown(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.closeFollow();
    this.stream.end();
    this.gone(this);
    this.deps.changes?.followEnded(this.app);
  }

  private closeFollow(): void {
    this.generation += 1; // whatever the old follow still prints is dropped
    this.follow?.close();
    this.follow = undefined;
    this.cleanFrom = undefined;
  }

  private mark(marker: StreamMarker): void {
    this.cleanFrom = undefined;
    this.stream.push(marker);
  }

  private onChunk(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
    if (this.partial.length > MAX_LINE_CHARS) this.flushPartial();
  }

  private flushPartial(): void {
    const rest = this.partial;
    this.partial = '';
    if (rest !== '') this.onLine(rest);
  }

  /** Parsed and sanitized here, once for every subscriber. */
  private onLine(raw: string): void {
    const parsed = LogLine.parse(raw);
    if (parsed.message === '' && parsed.timestamp === undefined) return;
    const sanitizer = this.sanitizer;
    if (!sanitizer) return;
    if (parsed.timestamp === undefined && parsed.process === undefined) {
      // Every container line has Dokku's prefix; a bare one is Dokku's own (" !     App x does not exist").
      this.dokkuSaid = [...this.dokkuSaid, sanitizer.redact(parsed.message)].slice(-DOKKU_LINES_KEPT);
      return;
    }
    const key = parsed.process ?? '';
    let redact = this.redactors.get(key);
    if (!redact) {
      // Per process: a private key printed by one container spans its lines, not its neighbours'.
      redact = sanitizer.lineByLine({ joinedMidway: true }); // a follow starts wherever the output is: maybe inside a key
      this.redactors.set(key, redact);
    }
    this.stream.push({ type: 'line', line: { ...parsed, message: redact(parsed.message) } });
  }
}

/** Dokku's --ps matches containers CONTAINER.<type>.*: the process name's type part. */
export function matchesProcess(line: LogLine, processType: string | undefined): boolean {
  return processType === undefined || (line.process !== undefined && line.process.startsWith(`${processType}.`));
}
