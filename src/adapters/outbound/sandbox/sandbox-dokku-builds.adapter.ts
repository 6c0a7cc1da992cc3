import type { AppName } from '../../../domain/app-name.js';
import type { BuildId } from '../../../domain/dokku-values.js';
import { Unsupported } from '../../../domain/domain-errors.js';
import type { HostBuild } from '../../../domain/host-build.js';
import type { BuildFollow, BuildFollowEnd, BuildFollowSink, DokkuBuilds } from '../../../ports/dokku-builds.port.js';
import { hostBuildOf } from './sandbox-build-record.js';
import { supportsBuildsCancel } from './sandbox-dokku-deploys.adapter.js';
import type { SandboxDokkuHost } from './sandbox-dokku-host.js';

/** Dokku replays this many lines of a running build's log (tail -n 1000 -f), then follows. */
const REPLAY_LINES = 1_000;

/** DokkuBuilds on the simulated host: its build record, as Dokku 0.38's builds:* report it. */
export class SandboxDokkuBuilds implements DokkuBuilds {
  constructor(
    private readonly host: SandboxDokkuHost,
    /** How long a follow lasts at most (the server's ssh.deploy_timeout_ms). */
    private readonly followTimeoutMs = 30 * 60_000,
  ) {}

  async supported(): Promise<boolean> {
    this.host.assertReachable();
    return supportsBuildsCancel(this.host.dokkuVersion);
  }

  async list(app: AppName, filter: { readonly runningOnly?: boolean } = {}): Promise<HostBuild[]> {
    this.check(app);
    return this.host.buildRecord.of(app.value).filter((b) => !filter.runningOnly || b.status === 'running').map(hostBuildOf);
  }

  async running(): Promise<HostBuild[]> {
    this.check();
    return this.host.buildRecord.running().sort((a, b) => b.startedAt - a.startedAt).map(hostBuildOf);
  }

  async info(app: AppName, id: BuildId): Promise<HostBuild | undefined> {
    this.check(app);
    const build = this.host.buildRecord.find(app.value, id.value);
    return build && hostBuildOf(build);
  }

  async output(app: AppName, id: BuildId): Promise<string> {
    this.check(app);
    return this.host.buildRecord.find(app.value, id.value)?.log ?? '';
  }

  async follow(app: AppName, id: BuildId, sink: BuildFollowSink): Promise<BuildFollow> {
    this.check(app);
    const build = this.host.buildRecord.find(app.value, id.value);
    let finish!: (end: BuildFollowEnd) => void;
    const done = new Promise<BuildFollowEnd>((resolve) => (finish = resolve));
    if (!build) {
      sink.start(false);
      finish({ type: 'over' });
      return { done, stop: () => undefined };
    }
    // Like tail -n 1000: the last lines so far, then what is written from now on.
    const lines = build.log.split(/(?<=\n)/);
    const replayed = build.log.endsWith('\n') || build.log === '' ? lines : lines.slice(0, -1);
    sink.start(replayed.length > REPLAY_LINES);
    const replay = replayed.slice(-REPLAY_LINES).join('');
    let sent = build.log.length - (build.log.length - replayed.join('').length);
    if (replay !== '') sink.output(replay);
    let ended = false;
    const end = (how: BuildFollowEnd): void => {
      if (ended) return;
      ended = true;
      build.listeners.delete(listener);
      clearTimeout(timer);
      finish(how);
    };
    const listener = (): void => {
      if (build.log.length > sent) {
        const text = build.log.slice(sent);
        sent = build.log.length;
        try {
          sink.output(text);
        } catch {
          // The sink's problem; following goes on.
        }
      }
      if (build.status !== 'running') end({ type: 'over' });
    };
    build.listeners.add(listener);
    const timer = setTimeout(() => end({ type: 'timed_out', reason: `still running after ${this.followTimeoutMs} ms of following` }), this.followTimeoutMs);
    timer.unref?.();
    listener();
    return { done, stop: () => end({ type: 'stopped' }) };
  }

  async deployedCommit(app: AppName): Promise<string | undefined> {
    this.host.assertReachable();
    return this.host.app(app.value).gitSha;
  }

  private check(app?: AppName): void {
    this.host.assertReachable();
    if (!supportsBuildsCancel(this.host.dokkuVersion)) {
      throw new Unsupported(
        `This Dokku host (${this.host.dokkuVersion}) keeps no build record; builds:* arrived in Dokku 0.38.0.`,
        'Only the deployments this server started can be followed here.',
      );
    }
    if (app) this.host.app(app.value);
  }
}
