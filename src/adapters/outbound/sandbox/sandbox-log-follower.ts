import type { FollowEnd, FollowLogsQuery, LogFollow } from '../../../ports/dokku-logs.port.js';
import type { SandboxApp, SandboxContainer, SandboxDokkuHost } from './sandbox-dokku-host.js';
import { linesWritten, runtimeLine, runtimeLineTime } from './sandbox-runtime-logs.js';

/** How often a follower looks for new lines; a line is then at most this late (Docker itself is a few ms). */
const TICK_MS = 50;

interface Followed {
  readonly container: SandboxContainer;
  readonly position: number;
  /** Next line number to print. */
  next: number;
}

/**
 * `dokku logs <app> --tail --num N` on the simulated host: the newest N lines of each container running at the start,
 * then their lines as the host's clock writes them. Like Dokku, it follows only the containers that existed when it
 * started: a container replaced by a deploy, stopped or destroyed is retired, and when none is left it exits 0.
 */
export function followSandboxLogs(host: SandboxDokkuHost, appName: string, query: FollowLogsQuery, onOutput: (chunk: string) => void): LogFollow {
  let resolveEnded!: (end: FollowEnd) => void;
  const ended = new Promise<FollowEnd>((resolve) => (resolveEnded = resolve));
  let done = false;
  const finish = (end: FollowEnd): void => {
    if (done) return;
    done = true;
    clearInterval(timer);
    resolveEnded(end);
  };
  const app = host.find(appName);
  // Dokku's own refusals arrive in the stream (a pty merges stderr), then the exit status.
  const refusal = !app ? { text: `App ${appName} does not exist`, code: 20 } : !app.deployed ? { text: `App ${appName} has not been deployed`, code: 1 } : undefined;
  let timer: NodeJS.Timeout | undefined;
  if (refusal || !app) {
    queueMicrotask(() => {
      if (done) return;
      emit(onOutput, ` !     ${refusal?.text}\r\n`);
      finish({ type: 'exited', exitCode: refusal?.code ?? 1 });
    });
    return { ended, close: () => finish({ type: 'closed' }) };
  }
  const num = Math.max(0, Math.floor(query.num));
  const now = host.now();
  const followed: Followed[] = app.containers
    .filter((c) => c.stoppedAt === undefined && (query.processType === undefined || c.type === query.processType.value))
    .map((container, position) => ({ container, position, next: Math.max(0, linesWritten(container, now, host.logIntervalMs) - num) }));
  const tick = (): void => {
    if (done) return;
    try {
      host.assertReachable();
    } catch (error) {
      return finish({ type: 'lost', reason: (error as Error).message }); // the simulated connection dropped
    }
    const current = host.find(appName);
    const at = host.now();
    const lines: { time: number; text: string }[] = [];
    for (const f of followed) {
      const count = linesWritten(f.container, at, host.logIntervalMs);
      for (; f.next < count; f.next++) {
        lines.push({ time: runtimeLineTime(f.container, f.next, host.logIntervalMs), text: runtimeLine(current ?? app, f.container, f.position, f.next, host.logIntervalMs) });
      }
    }
    lines.sort((a, b) => a.time - b.time);
    if (lines.length > 0) emit(onOutput, lines.map((line) => `${line.text}\r\n`).join(''));
    const live = followed.filter((f) => stillRuns(current, f.container));
    if (live.length === 0) finish({ type: 'exited', exitCode: 0 });
  };
  timer = setInterval(tick, TICK_MS);
  timer.unref?.();
  queueMicrotask(tick);
  return { ended, close: () => finish({ type: 'closed' }) };
}

/** The container is still the app's and has not stopped. */
function stillRuns(app: SandboxApp | undefined, container: SandboxContainer): boolean {
  return app !== undefined && container.stoppedAt === undefined && app.containers.includes(container);
}

function emit(onOutput: (chunk: string) => void, text: string): void {
  try {
    onOutput(text);
  } catch {
    // The consumer's problem; the follow goes on.
  }
}
