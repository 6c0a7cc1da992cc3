import type { AppName } from '../../../domain/app-name.js';
import type { BuildId } from '../../../domain/dokku-values.js';
import { Unsupported } from '../../../domain/domain-errors.js';
import type { HostBuild } from '../../../domain/host-build.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import type { BuildFollow, BuildFollowEnd, BuildFollowSink, DokkuBuilds } from '../../../ports/dokku-builds.port.js';
import { DokkuCommand } from './dokku-command.js';
import { parseBuildJson, parseBuildsJson } from './dokku-output-parsers.js';
import { DokkuRunner, FEATURES } from './dokku-runner.js';
import type { SshConnection } from './ssh-connection.js';
import { dokkuMessage } from './ssh-errors.js';

/** How often builds:info is asked whether a followed build is over. */
const INFO_POLL_MS = 1_000;
/** builds:output of a running build is `tail -n 1000 -f <log>`: it replays this many lines, then follows. */
export const REPLAY_LINES = 1_000;
/**
 * The replay is held until it is known whether it was cut (the marker then goes first). Its first line says:
 * - a Dokku step (`-----> `, `=====> `): it starts where a build log starts, so it was not cut. It opens after a pause
 *   of BURST_QUIET_MS (at most BURST_MAX_MS): what follows its first lines may be live output, not to be held back.
 *   (A cut replay whose first line happens to be a step is taken for a whole one: a marker is then missing.)
 * - any other line: it starts mid-log, so it was cut. That is said at once and the rest passes as it comes, however
 *   slowly a starved host sends it.
 * - a shell trace line (`dokku trace on`) says neither: it was cut if Dokku sent REPLAY_LINES lines, so it is held to
 *   a pause of BURST_QUIET_MS, or BURST_QUIET_LONG_MS once REPLAY_UNDER_WAY lines have come (at most BURST_MAX_UNSURE_MS).
 */
const BURST_QUIET_MS = 150;
const BURST_QUIET_LONG_MS = 1_000;
const REPLAY_UNDER_WAY = 200;
const BURST_MAX_MS = 2_000;
const BURST_MAX_UNSURE_MS = 4_000;
/** How long the end of a followed build waits for the rest of a cut replay still on its way. */
const REPLAY_DRAIN_MAX_MS = 30_000;
/** Once the build is over, the last lines may still be on their way: wait for a pause before closing. */
const DRAIN_QUIET_MS = 300;
const DRAIN_MAX_MS = 2_000;
const UNKNOWN_BUILD = /No build record found|no such build/i;
const SHA = /^[0-9a-f]{7,64}$/;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const newlines = (text: string): number => text.split('\n').length - 1;
/** How a build log's first line looks (Dokku's step headers), colour codes aside. */
const STEP_LINE = /^(?:\x1b\[[0-9;]*m)*\s*(?:-----|=====)> /;
/** A shell trace line (`dokku trace on`): says nothing about where in the log a replay starts. */
const TRACE_LINE = /^(?:\x1b\[[0-9;]*m)*\++ /;

/** DokkuBuilds over SSH: `builds:list|info|output` (Dokku 0.38+) and `git:report --git-sha`. */
export class SshDokkuBuilds implements DokkuBuilds {
  private readonly dokku: DokkuRunner;

  constructor(
    private readonly connection: SshConnection,
    sanitizer: Sanitizer,
  ) {
    this.dokku = new DokkuRunner(connection, sanitizer);
  }

  supported(): Promise<boolean> {
    return this.dokku.supports('buildsRecord');
  }

  async list(app: AppName, filter: { readonly runningOnly?: boolean } = {}): Promise<HostBuild[]> {
    await this.requireSupport();
    const all = DokkuCommand.of('builds:list').value(app).json();
    const command = filter.runningOnly ? all.runningOnly() : all;
    const { stdout } = await this.dokku.run(command, app);
    return this.dokku.parse(command, stdout, parseBuildsJson);
  }

  async running(): Promise<HostBuild[]> {
    await this.requireSupport();
    const command = DokkuCommand.of('builds:list').json();
    const { stdout } = await this.dokku.run(command);
    return this.dokku.parse(command, stdout, parseBuildsJson).filter((build) => build.status === 'running');
  }

  async info(app: AppName, id: BuildId): Promise<HostBuild | undefined> {
    await this.requireSupport();
    const command = DokkuCommand.of('builds:info').value(app).value(id).json();
    const result = await this.dokku.exec(command);
    if (result.code !== 0 && UNKNOWN_BUILD.test(dokkuMessage(result))) return undefined;
    if (result.code !== 0) throw this.dokku.failure(command, result, app);
    return this.dokku.parse(command, result.stdout, (text) => parseBuildJson(JSON.parse(text)));
  }

  async output(app: AppName, id: BuildId): Promise<string> {
    await this.requireSupport();
    // Only for a build that has ended: of a running one Dokku tails the log and never returns.
    const command = DokkuCommand.of('builds:output').value(app).value(id);
    const result = await this.dokku.run(command, app);
    // The log as it is, Dokku's " !" lines in their place (the pty merged them; splitting would move them out).
    return result.merged ?? result.stdout;
  }

  /**
   * `builds:output` of a running build never ends by itself (tail -f). It runs with a pty, so that closing the channel
   * hangs up the remote tail; it is closed once builds:info says the build is over (after a short drain), when the
   * remote exits (the build had ended: Dokku printed the file and stopped), or at ssh.deploy_timeout_ms.
   */
  async follow(app: AppName, id: BuildId, sink: BuildFollowSink): Promise<BuildFollow> {
    await this.requireSupport();
    const replay = new ReplayGate(sink);
    const command = DokkuCommand.of('builds:output').value(app).value(id);
    const handle = await this.connection.stream(command.toString(), { onStdout: (text) => replay.data(text), pty: true, longLived: true });
    replay.armed();
    let finish!: (end: BuildFollowEnd) => void;
    const done = new Promise<BuildFollowEnd>((resolve) => (finish = resolve));
    let ended = false;
    let pollTimer: NodeJS.Timeout | undefined;
    const timeoutMs = this.connection.options.deployTimeoutMs;
    const end = (how: BuildFollowEnd): void => {
      if (ended) return;
      ended = true;
      clearTimeout(pollTimer);
      clearTimeout(deadline);
      replay.release();
      handle.close();
      finish(how);
    };
    const deadline = setTimeout(
      () => end({ type: 'timed_out', reason: `still running after ssh.deploy_timeout_ms (${timeoutMs} ms) of following` }),
      timeoutMs,
    );
    const poll = async (): Promise<void> => {
      if (ended) return;
      const build = await this.info(app, id).catch(() => 'unknown' as const); // a failed poll is tried again
      if (build !== 'unknown' && (build === undefined || build.status !== 'running')) {
        await replay.drained();
        // Over while its replay was still held (a starved host sends it slowly): the whole log is there to read now,
        // which beats a replay cut short and a guess at whether it was cut.
        if (!replay.isOpen && build !== undefined && !ended) {
          const whole = await this.output(app, id).catch(() => undefined);
          if (whole !== undefined && !ended) replay.replaceWith(whole);
        }
        return end({ type: 'over' });
      }
      if (!ended) pollTimer = setTimeout(() => void poll(), INFO_POLL_MS);
    };
    pollTimer = setTimeout(() => void poll(), INFO_POLL_MS);
    void handle.done.then((streamEnd) => {
      if (streamEnd.type === 'lost') end({ type: 'lost', reason: streamEnd.reason });
      else end({ type: 'over' }); // the remote exited by itself: the build had ended, its whole log was printed
    });
    return { done, stop: () => end({ type: 'stopped' }) };
  }

  async deployedCommit(app: AppName): Promise<string | undefined> {
    const command = DokkuCommand.of('git:report').value(app).flag('--git-sha');
    const sha = (await this.dokku.run(command, app)).stdout.trim();
    return SHA.test(sha) ? sha : undefined;
  }

  private async requireSupport(): Promise<void> {
    if (await this.supported()) return;
    const version = (await this.dokku.version()) ?? 'an unknown version';
    throw new Unsupported(
      `The host's build record (builds:list/info/output) needs Dokku ${FEATURES.buildsRecord} or newer; this host runs Dokku ${version}.`,
      'Only the deployments this server started (since it last started) can be followed here.',
    );
  }
}

/**
 * Holds the first output of a follow until Dokku's replay of the log is over, to tell the sink before any output
 * whether the replay may have cut the beginning (it printed the full REPLAY_LINES).
 */
export class ReplayGate {
  private held = '';
  /** Lines seen since the replay began, held or passed on. */
  private lines = 0;
  private open = false;
  private quiet?: NodeJS.Timeout;
  private cap?: NodeJS.Timeout;
  private lastData = Date.now();
  /**
   * Known once the first line has come: 'start' (a Dokku step: the replay starts where a build log starts, so it was not
   * cut), 'mid' (any other line: it starts mid-log, so it was cut) or 'unknown' (a shell trace line says neither).
   */
  private firstLine?: 'start' | 'mid' | 'unknown';
  /** The held replay was replaced by the whole log (replaceWith). */
  private replaced = false;

  constructor(private readonly sink: BuildFollowSink) {}

  /** Only a replay whose first line says nothing is judged by its length, so only it may need a long pause. */
  private get patient(): boolean {
    return this.firstLine === 'unknown' && this.lines >= REPLAY_UNDER_WAY;
  }

  /** Whether the replay was cut: it starts mid-log, or (its first line saying nothing) Dokku sent its 1000 lines. */
  private get cut(): boolean {
    return this.firstLine === 'mid' || (this.firstLine === 'unknown' && this.lines >= REPLAY_LINES);
  }

  armed(): void {
    if (this.firstLine !== undefined) this.armCap();
    if (!this.open) this.restartQuiet();
  }

  /**
   * From the replay's first line on (nothing before it is a replay to judge: on a starved host the first chunk may
   * come late, and an empty replay taken for a whole one would lose the marker of a cut one that was on its way).
   */
  private armCap(): void {
    const from = Date.now();
    clearTimeout(this.cap);
    this.cap = setTimeout(() => {
      if (!this.patient) return this.release();
      this.cap = setTimeout(() => this.release(), Math.max(0, from + BURST_MAX_UNSURE_MS - Date.now()));
    }, BURST_MAX_MS);
  }

  data(text: string): void {
    this.lastData = Date.now();
    if (this.replaced) return;
    this.lines += newlines(text);
    if (this.open) return this.sink.output(text);
    this.held += text;
    if (this.firstLine === undefined && this.lines > 0) {
      this.firstLine = STEP_LINE.test(this.held) ? 'start' : TRACE_LINE.test(this.held) ? 'unknown' : 'mid';
      // Starting mid-log, it was cut: said at once, the rest passes as it comes, however slowly a starved host sends it.
      if (this.firstLine === 'mid') return this.release();
      this.armCap();
    }
    if (this.lines > REPLAY_LINES) return this.release(); // past the replay: live lines are arriving
    this.restartQuiet();
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Instead of the held replay: `text`, the build's whole log (it has ended); nothing the channel still sends follows. */
  replaceWith(text: string): void {
    if (this.open) return;
    this.held = '';
    this.replaced = true;
    this.firstLine = 'start';
    this.release();
    try {
      if (text !== '') this.sink.output(text);
    } catch {
      // The sink's problem.
    }
  }

  release(): void {
    if (this.open) return;
    this.open = true;
    clearTimeout(this.quiet);
    clearTimeout(this.cap);
    const held = this.held;
    this.held = '';
    // Called from timers too: a throwing sink must not take the process down.
    try {
      this.sink.start(this.cut);
      if (held !== '') this.sink.output(held);
    } catch {
      // The sink's problem; following goes on.
    }
  }

  /**
   * Resolves once no output came for DRAIN_QUIET_MS (at most DRAIN_MAX_MS from now). A cut replay is Dokku's last
   * REPLAY_LINES lines: until that many have come, it is still on its way (a starved host), so it is waited for first,
   * until a pause of BURST_QUIET_LONG_MS × 2 (at most REPLAY_DRAIN_MAX_MS).
   */
  async drained(): Promise<void> {
    if (this.firstLine === 'mid') {
      const until = Date.now() + REPLAY_DRAIN_MAX_MS;
      while (this.lines < REPLAY_LINES && Date.now() - this.lastData < BURST_QUIET_LONG_MS * 2 && Date.now() < until) await sleep(DRAIN_QUIET_MS / 3);
    }
    const until = Date.now() + DRAIN_MAX_MS;
    while (Date.now() - this.lastData < DRAIN_QUIET_MS && Date.now() < until) await sleep(DRAIN_QUIET_MS / 3);
  }

  private restartQuiet(): void {
    clearTimeout(this.quiet);
    // Timers run before pending socket reads in a loop turn: after a stall of the event loop the quiet timer would fire
    // with the replay's next chunk already waiting. So look again after the reads (setImmediate) before releasing.
    const quietMs = this.patient ? BURST_QUIET_LONG_MS : BURST_QUIET_MS;
    this.quiet = setTimeout(
      () =>
        setImmediate(() => {
          if (this.open) return;
          // No line yet: nothing to judge, and nothing held back by waiting (the end of the follow releases it).
          if (this.firstLine === undefined || Date.now() - this.lastData < quietMs) return this.restartQuiet();
          this.release();
        }),
      quietMs,
    );
  }
}
