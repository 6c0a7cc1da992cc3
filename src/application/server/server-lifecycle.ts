import { injectable } from 'inversify';

/** What every session and stream is told when the server starts to stop. */
export interface ShutdownNotice {
  /** SIGTERM, SIGINT, "stdin closed"… */
  readonly why: string;
  /** How long running deploys may still take (shutdown.grace_seconds). */
  readonly graceMs: number;
  /** Deployments running at that moment: id and app. */
  readonly running: ReadonlyArray<{ readonly id: string; readonly app: string }>;
}

/**
 * What they are told last, just before sessions close: the deploys that did not finish in time, each with how it was
 * settled: from the host's build record (its status then), or `unknown`.
 */
export interface ShutdownReport {
  readonly why: string;
  readonly unfinished: ReadonlyArray<{ readonly id: string; readonly app: string; readonly outcome: 'unknown' | 'succeeded' | 'failed' | 'canceled' }>;
}

type Listener<T> = (event: T) => void | Promise<void>;

/** How long the final report may take to go out before sessions close anyway (a client that stopped reading). */
export const FINAL_NOTICE_WAIT_MS = 1_000;

/**
 * Whether the server is running or stopping, shared by every inbound adapter and use case: once stopping, nothing new
 * starts (deploys, changes, sessions), while reads go on until the sessions close. Sessions and streams register to end
 * with a final event (MCP sessions send a log notification; a log stream would send its last SSE event).
 */
@injectable()
export class ServerLifecycle {
  private notice?: ShutdownNotice;
  private readonly onStop = new Set<Listener<ShutdownNotice>>();
  private readonly onEnd = new Set<Listener<ShutdownReport>>();

  get stopping(): boolean {
    return this.notice !== undefined;
  }
  /** Why it is stopping; undefined while running. */
  get why(): string | undefined {
    return this.notice?.why;
  }

  /** Called once stopping begins (at once if it already has). Returns the unsubscribe function. */
  onStopping(listener: Listener<ShutdownNotice>): () => void {
    this.onStop.add(listener);
    if (this.notice) void this.call(listener, this.notice);
    return () => this.onStop.delete(listener);
  }

  /** Called with the final report, before sessions are closed. Returns the unsubscribe function. */
  onStopped(listener: Listener<ShutdownReport>): () => void {
    this.onEnd.add(listener);
    return () => this.onEnd.delete(listener);
  }

  /** Starts stopping and tells the listeners (without waiting for them); false when it already had. */
  begin(notice: ShutdownNotice): boolean {
    if (this.notice) return false;
    this.notice = notice;
    for (const listener of this.onStop) void this.call(listener, notice);
    return true;
  }

  /** Sends the final report to every listener; waits for them, at most FINAL_NOTICE_WAIT_MS. */
  async end(report: ShutdownReport): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, FINAL_NOTICE_WAIT_MS)));
    await Promise.race([Promise.all([...this.onEnd].map((listener) => this.call(listener, report))), cap]);
    clearTimeout(timer);
  }

  private async call<T>(listener: Listener<T>, event: T): Promise<void> {
    try {
      await listener(event);
    } catch {
      // A session that cannot be told (its client went away) must not stop the others being told.
    }
  }
}
