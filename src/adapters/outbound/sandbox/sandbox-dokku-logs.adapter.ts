import type { AppName } from '../../../domain/app-name.js';
import type { DokkuLogs, FollowLogsQuery, LogFollow, RecentLogsQuery } from '../../../ports/dokku-logs.port.js';
import type { SandboxDokkuHost } from './sandbox-dokku-host.js';
import { followSandboxLogs } from './sandbox-log-follower.js';
import { recentRuntimeLines } from './sandbox-runtime-logs.js';

/** DokkuLogs on the simulated host: lines in Dokku's own format, generated from the app and the host's clock. */
export class SandboxDokkuLogs implements DokkuLogs {
  constructor(private readonly host: SandboxDokkuHost) {}

  async recent(app: AppName, query: RecentLogsQuery): Promise<string[]> {
    this.host.assertReachable();
    const state = this.host.deployedApp(app.value);
    const { linesPerContainer, processType } = query;
    return recentRuntimeLines(state, { linesPerContainer, processType: processType?.value }, this.host.now(), this.host.logIntervalMs);
  }

  async follow(app: AppName, query: FollowLogsQuery, onOutput: (chunk: string) => void): Promise<LogFollow> {
    this.host.assertReachable();
    return followSandboxLogs(this.host, app.value, query, onOutput);
  }

  async failedDeploy(app: AppName): Promise<string> {
    this.host.assertReachable();
    const state = this.host.app(app.value);
    if (!state.failedDeployLog) return ' !     No failed containers found\n';
    return [`=====> ${state.name} failed deploy logs`, ...state.failedDeployLog].join('\n') + '\n';
  }
}
