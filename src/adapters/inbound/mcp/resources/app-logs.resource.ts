import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { inject, injectable } from 'inversify';
import { ListApps } from '../../../../application/apps/list-apps.use-case.js';
import { GetRuntimeLogs } from '../../../../application/logs/get-runtime-logs.use-case.js';
import { LogLine } from '../../../../domain/log-line.js';
import type { SessionContext } from '../session-context.js';
import { type McpResource, plainText, ResourceReader, variable } from './resource-support.js';

/** dokku://app/{name}/logs — the newest runtime log lines (logs.runtime.default_lines), compact text. */
@injectable()
export class AppLogsResource implements McpResource {
  constructor(
    @inject(ListApps) private readonly listApps: ListApps,
    @inject(GetRuntimeLogs) private readonly getRuntimeLogs: GetRuntimeLogs,
    @inject(ResourceReader) private readonly reader: ResourceReader,
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
        description: 'The newest runtime log lines of an app, all containers merged, "<timestamp> <process>: <message>" per line (text/plain). Re-read to poll.',
        mimeType: 'text/plain',
      },
      (uri, vars) =>
        this.reader.read(session, uri, async () => {
          const logs = await this.getRuntimeLogs.execute(session.caller, { appName: variable(vars, 'name') });
          return plainText(uri, logs.entries.map((entry) => `${LogLine.format(entry)}\n`).join(''));
        }, variable(vars, 'name')),
    );
  }
}
