import type { HostBuild, HostBuildStatus } from '../../../domain/host-build.js';

/** How many finished builds the simulated host keeps per app (Dokku's default builds retention). */
const RETENTION = 20;

/** One build in the simulated host's record, with its log (Dokku keeps it in a file beside the record). */
export interface SandboxBuild {
  readonly id: string;
  readonly app: string;
  readonly kind: 'build' | 'deploy';
  readonly source: string;
  status: HostBuildStatus;
  readonly startedAt: number;
  finishedAt?: number;
  exitCode?: number;
  /** Everything written to its log so far. */
  log: string;
  /** Called after each write and at the end (followers). */
  readonly listeners: Set<() => void>;
}

/** The simulated host's `builds:*` record: created when a deploy takes the app's lock, finished with its exit. */
export class SandboxBuildRecord {
  private readonly byApp = new Map<string, SandboxBuild[]>(); // newest first
  private counter = 0;

  constructor(private readonly now: () => number) {}

  start(app: string, kind: SandboxBuild['kind'], source: string): SandboxBuild {
    const at = this.now();
    // Like Dokku's ids: 8 base36 characters of milliseconds, then 6 more that keep them unique.
    const id = `${at.toString(36).padStart(8, '0').slice(-8)}${(++this.counter).toString(36).padStart(6, '0')}`;
    const build: SandboxBuild = { id, app, kind, source, status: 'running', startedAt: at, log: '', listeners: new Set() };
    this.byApp.set(app, [build, ...(this.byApp.get(app) ?? [])]);
    return build;
  }

  write(build: SandboxBuild, text: string): void {
    if (build.status !== 'running' || text === '') return;
    build.log += text;
    this.tell(build);
  }

  finish(build: SandboxBuild, status: Exclude<HostBuildStatus, 'running'>, exitCode: number): void {
    if (build.status !== 'running') return;
    Object.assign(build, { status, exitCode, finishedAt: this.now() });
    const all = this.byApp.get(build.app) ?? [];
    const running = all.filter((b) => b.status === 'running');
    this.byApp.set(build.app, [...running, ...all.filter((b) => b.status !== 'running').slice(0, RETENTION)].sort((a, b) => b.startedAt - a.startedAt));
    this.tell(build);
  }

  of(app: string): SandboxBuild[] {
    return [...(this.byApp.get(app) ?? [])];
  }

  running(): SandboxBuild[] {
    return [...this.byApp.values()].flat().filter((b) => b.status === 'running');
  }

  find(app: string, id: string): SandboxBuild | undefined {
    return this.byApp.get(app)?.find((b) => b.id === id);
  }

  forget(app: string): void {
    this.byApp.delete(app);
  }

  private tell(build: SandboxBuild): void {
    for (const listener of [...build.listeners]) {
      try {
        listener();
      } catch {
        // A follower's problem, not the build's.
      }
    }
  }
}

export const hostBuildOf = (build: SandboxBuild): HostBuild => ({
  id: build.id,
  app: build.app,
  kind: build.kind,
  source: build.source,
  status: build.status,
  startedAt: new Date(build.startedAt),
  ...(build.finishedAt === undefined ? {} : { finishedAt: new Date(build.finishedAt) }),
  ...(build.exitCode === undefined ? {} : { exitCode: build.exitCode }),
});
