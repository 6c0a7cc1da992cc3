import { AppAlreadyExists, AppNotFound, HostUnreachable, NotDeployed } from '../../../domain/domain-errors.js';
import type { PluginInfo } from '../../../ports/dokku-server.port.js';
import { SandboxBuildRecord } from './sandbox-build-record.js';
import type { SandboxDeployRun } from './sandbox-deploy-run.js';
import { hexId } from './sandbox-hash.js';
import { SandboxPluginState, type SandboxPluginOptions } from './sandbox-plugins.js';
import { DEFAULT_SANDBOX_SEED, type SandboxAppSeed, type SandboxSource } from './sandbox-seed.js';

export type { SandboxAppSeed, SandboxSource } from './sandbox-seed.js';

/** One container of a process type; `stoppedAt` once ps:stop ran (its logs stay readable, like `docker logs`). */
export interface SandboxContainer {
  readonly type: string;
  readonly index: number;
  readonly id: string;
  readonly startedAt: number;
  stoppedAt?: number;
  /** Started, then exited by itself (the app crashes): ps:report shows it exited although nobody stopped it. */
  crashed?: boolean;
}

export interface SandboxApp {
  readonly name: string;
  readonly createdAt: number;
  deployed: boolean;
  source?: SandboxSource;
  processTypes: string[];
  // Maps, not objects: "constructor" is a valid env key and process type.
  readonly config: Map<string, string>;
  domains: string[];
  readonly scale: Map<string, number>;
  containers: SandboxContainer[];
  /** Raw output of the last failed deploy's containers, for logs:failed. */
  failedDeployLog?: string[];
  /** Its current code crashes on start (a source containing "crash"): new containers exit at once. */
  crashing?: boolean;
  /** The commit of the current build (git:report --git-sha), for a git source. */
  gitSha?: string;
  /** Builds so far (git:sync and rollbacks), for distinct commits per deploy of one branch. */
  builds: number;
}

export interface SandboxDokkuHostOptions {
  /** Delay between groups of deploy output lines (default 250 ms). */
  readonly deployStepMs?: number;
  /** Average time between two runtime log lines of one container (default 1500 ms, at least 20). */
  readonly logIntervalMs?: number;
  /** The apps to start with; defaults to DEFAULT_SANDBOX_SEED (add extras with `[...DEFAULT_SANDBOX_SEED, x]`). */
  readonly seed?: readonly SandboxAppSeed[];
  /** Epoch milliseconds; tests pass a clock they can move (runtime logs follow it). */
  readonly clock?: () => number;
  /** Simulates an older Dokku (e.g. "0.37.9" has no builds:cancel). */
  readonly dokkuVersion?: string;
  /** The datastore/letsencrypt plugins installed, and whether ssh-keys:add/remove are allowed (see SandboxPluginState). */
  readonly pluginOptions?: SandboxPluginOptions;
}

const HOUR = 3_600_000;

/**
 * A simulated Dokku host kept in memory: the state behind the Sandbox* adapters, which serve `--sandbox` demos and the
 * unit tests. It raises the same domain errors the SSH adapters raise for the same situations.
 */
export class SandboxDokkuHost {
  readonly deployStepMs: number;
  readonly logIntervalMs: number;
  readonly dokkuVersion: string;
  readonly globalDomains: string[] = ['dokku.me'];
  /** Services, Let's Encrypt and SSH keys: the state of the plugins beyond Dokku's core. */
  readonly plugin: SandboxPluginState;
  private readonly apps = new Map<string, SandboxApp>();
  private readonly runs = new Map<string, SandboxDeployRun>(); // the host's own deploy lock, one per app
  /** The host's build record (builds:*), per app. */
  readonly buildRecord = new SandboxBuildRecord(() => this.now());
  private readonly clock: () => number;
  private outage?: string;

  constructor(options: SandboxDokkuHostOptions = {}) {
    this.deployStepMs = Math.max(0, options.deployStepMs ?? 250);
    this.logIntervalMs = Math.max(20, options.logIntervalMs ?? 1500);
    this.dokkuVersion = options.dokkuVersion ?? '0.38.27';
    this.clock = options.clock ?? Date.now;
    this.plugin = new SandboxPluginState(options.pluginOptions);
    for (const seed of options.seed ?? DEFAULT_SANDBOX_SEED) this.seedApp(seed);
  }

  get plugins(): PluginInfo[] {
    const core = ['00_dokku-standard', 'apps', 'builds', 'config', 'domains', 'git', 'logs', 'nginx-vhosts', 'ps', 'scheduler-docker-local'];
    return [
      ...core.map((name) => ({ name, version: this.dokkuVersion, enabled: true })),
      ...this.plugin.pluginInfos(),
    ];
  }

  now(): number {
    return this.clock();
  }

  /** Throws HostUnreachable while an outage is simulated; every adapter call starts here. */
  assertReachable(): void {
    if (this.outage !== undefined) throw new HostUnreachable('sandbox', this.outage);
  }
  simulateOutage(reason = 'connect ECONNREFUSED 127.0.0.1:22'): void {
    this.outage = reason;
  }
  endOutage(): void {
    this.outage = undefined;
  }

  appNames(): string[] {
    return [...this.apps.keys()].sort();
  }
  find(name: string): SandboxApp | undefined {
    return this.apps.get(name);
  }
  app(name: string): SandboxApp {
    const app = this.apps.get(name);
    if (!app) throw new AppNotFound(name);
    return app;
  }
  deployedApp(name: string): SandboxApp {
    const app = this.app(name);
    if (!app.deployed) throw new NotDeployed(name);
    return app;
  }

  createApp(name: string): SandboxApp {
    if (this.apps.has(name)) throw new AppAlreadyExists(name);
    return this.seedApp({ name, createdAgoMs: 0 });
  }
  destroyApp(name: string): void {
    this.app(name);
    this.runs.get(name)?.abort('app destroyed');
    this.apps.delete(name);
    this.buildRecord.forget(name);
    this.plugin.forgetApp(name);
  }

  /** Starts fresh containers for `restart` types (all by default) and adjusts the others to the scale. */
  syncContainers(app: SandboxApp, restart: ReadonlySet<string> | 'all' = 'all', at = this.now()): void {
    const next: SandboxContainer[] = [];
    for (const [type, count] of [...app.scale].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (let index = 1; index <= count; index++) {
        const old = app.containers.find((c) => c.type === type && c.index === index);
        const keep = old && restart !== 'all' && !restart.has(type);
        next.push(keep ? old : { type, index, startedAt: at, id: hexId(`${app.name}/${type}.${index}@${at}`), ...(app.crashing ? { crashed: true } : {}) });
      }
    }
    app.containers = next;
  }

  stopContainers(app: SandboxApp): void {
    const at = this.now();
    for (const c of app.containers) c.stoppedAt ??= at;
  }

  activeRun(app: string): SandboxDeployRun | undefined {
    return this.runs.get(app);
  }
  lock(app: string, run: SandboxDeployRun): void {
    this.runs.set(app, run);
  }
  unlock(app: string, run: SandboxDeployRun): void {
    if (this.runs.get(app) === run) this.runs.delete(app);
  }

  /** Ends every running deploy (its outcome becomes "lost"); call from test teardown so no timer outlives a test. */
  dispose(): void {
    for (const run of [...this.runs.values()]) run.abort('sandbox host disposed');
  }

  private seedApp(seed: SandboxAppSeed): SandboxApp {
    const now = this.now();
    const deployed = seed.deployed ?? false;
    const scale = new Map(Object.entries(seed.scale ?? (deployed ? { web: 1 } : {})));
    const app: SandboxApp = {
      name: seed.name,
      createdAt: now - (seed.createdAgoMs ?? 24 * HOUR),
      deployed,
      source: seed.source,
      processTypes: [...(seed.processTypes ?? (deployed ? [...scale.keys()] : []))],
      config: new Map(Object.entries(seed.config ?? {})),
      domains: [...(seed.domains ?? this.globalDomains.map((d) => `${seed.name}.${d}`))],
      scale,
      containers: [],
      builds: 0,
      ...(deployed && seed.source?.type === 'git' ? { gitSha: hexId(`${seed.name}@seed`, 40) } : {}),
    };
    this.apps.set(app.name, app);
    if (deployed) {
      this.syncContainers(app, 'all', now - (seed.deployedAgoMs ?? 3 * HOUR));
      if (seed.running === false) this.stopContainers(app);
    }
    return app;
  }
}
