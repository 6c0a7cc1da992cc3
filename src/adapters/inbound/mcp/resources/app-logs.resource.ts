import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { inject, injectable } from 'inversify';
import { ListApps } from '../../../../application/apps/list-apps.use-case.js';
import { GetRuntimeLogs } from '../../../../application/logs/get-runtime-logs.use-case.js';
import { AppName } from '../../../../domain/app-name.js';
import { LogText, markerText } from '../../../../domain/log-text.js';
import { Limits } from '../../../../ports/settings.port.js';
import type { SessionContext } from '../session-context.js';
import { type McpResource, ResourceReader, untrustedText, variable } from './resource-support.js';

/**
 * dokku://app/{name}/logs — the newest runtime log lines (logs.runtime.default_lines), compact text. A session
 * subscribed to it reads them from the app's live stream (with a `gap` line first when lines came and went since its
 * previous read); any other read polls the host.
 */
@injectable()
export class AppLogsResource implements McpResource {
  constructor(
    @inject(ListApps) private readonly listApps: ListApps,
    @inject(GetRuntimeLogs) private readonly getRuntimeLogs: GetRuntimeLogs,
    @inject(ResourceReader) private readonly reader: ResourceReader,
    @inject(Limits) private readonly limits: Limits,
  ) {}

  register(server: McpServer, session: SessionContext): void {
    const template = new ResourceTemplate('dokku://app/{name}/logs', {
      list: async () => ({
        resources: (await this.reader.list('apps', () => this.listApps.execute(session.caller))).map((name) => ({
          uri: `dokku://app/${name}/logs`,
          name: `runtime logs of ${name}`,
          mimeType: 'text/plain',
        })),
      }),
      complete: { name: async (prefix) => (await this.reader.list('apps', () => this.listApps.execute(session.caller))).filter((n) => n.startsWith(prefix)) },
    });
    server.registerResource(
      'app-logs',
      template,
      {
        title: 'App runtime logs',
        description:
          'The newest runtime log lines of an app, all containers merged, "HH:MM:SS.mmm <process> <message>" per line (UTC; text/plain). Subscribe to follow it live, or re-read to poll.',
        mimeType: 'text/plain',
      },
      (uri, vars) =>
        this.reader.read(session, uri, async () => {
          const appName = variable(vars, 'name');
          const what = `Runtime log output from the app "${appName}"`;
          const live = session.liveLogs?.read(AppName.of(appName).value, this.limits.runtimeDefaultLines);
          if (live) {
            const behind = live.missed > 0 ? `${markerText({ type: 'gap', missed: live.missed, reason: 'they came and went since your last read; read sooner, or call follow_runtime_logs' })}\n` : '';
            return untrustedText(uri, behind + LogText.of(live.items), what);
          }
          const logs = await this.getRuntimeLogs.execute(session.caller, { appName });
          return untrustedText(uri, LogText.ofLines(logs.entries), `Runtime log output from the app "${logs.appName}"`);
        }, variable(vars, 'name')),
    );
  }
}
