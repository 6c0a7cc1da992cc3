import type { AppName } from '../../../domain/app-name.js';
import type { AppStatus, DokkuApps } from '../../../ports/dokku-apps.port.js';
import type { SandboxApp, SandboxDokkuHost } from './sandbox-dokku-host.js';

/** DokkuApps on the simulated host. */
export class SandboxDokkuApps implements DokkuApps {
  constructor(private readonly host: SandboxDokkuHost) {}

  async list(): Promise<string[]> {
    this.host.assertReachable();
    return this.host.appNames();
  }

  async exists(app: AppName): Promise<boolean> {
    this.host.assertReachable();
    return this.host.find(app.value) !== undefined;
  }

  async status(app: AppName): Promise<AppStatus> {
    this.host.assertReachable();
    const state = this.host.app(app.value);
    return {
      name: state.name,
      deployed: state.deployed,
      running: runningState(state),
      processes: state.containers.map((c) => ({
        type: c.type,
        index: c.index,
        status: c.stoppedAt === undefined && !c.crashed ? 'running' : 'exited',
        containerId: c.id,
      })),
      scale: Object.fromEntries(state.scale),
      createdAt: new Date(state.createdAt).toISOString(),
      // apps:report's "deploy source" as Dokku records it after a build.
      deploySource: state.deployed ? (state.source?.type === 'image' ? 'docker-image' : 'git-sync') : undefined,
      urls: state.deployed ? state.domains.map((domain) => `http://${domain}`) : [],
    };
  }

  async create(app: AppName): Promise<void> {
    this.host.assertReachable();
    this.host.createApp(app.value);
  }

  async destroy(app: AppName): Promise<void> {
    this.host.assertReachable();
    this.host.destroyApp(app.value);
  }

  async stop(app: AppName): Promise<void> {
    this.host.assertReachable();
    this.host.stopContainers(this.host.deployedApp(app.value));
  }
}

/** Dokku's ps:report "Running": true, false, or mixed when only some containers run. */
function runningState(app: SandboxApp): AppStatus['running'] {
  const up = app.containers.filter((c) => c.stoppedAt === undefined && !c.crashed).length;
  if (!app.deployed || up === 0) return 'false';
  return up === app.containers.length ? 'true' : 'mixed';
}
