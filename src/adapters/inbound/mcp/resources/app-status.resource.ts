import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { inject, injectable } from 'inversify';
import { GetAppStatus } from '../../../../application/apps/get-app-status.use-case.js';
import { ListApps } from '../../../../application/apps/list-apps.use-case.js';
import { appStatusView } from '../tools/get-app-status.tool.js';
import type { SessionContext } from '../session-context.js';
import { json, type McpResource, ResourceReader, variable } from './resource-support.js';

/** dokku://app/{name} — one app's status, as JSON (the same shape as get_app_status). */
@injectable()
export class AppStatusResource implements McpResource {
  constructor(
    @inject(ListApps) private readonly listApps: ListApps,
    @inject(GetAppStatus) private readonly getAppStatus: GetAppStatus,
    @inject(ResourceReader) private readonly reader: ResourceReader,
  ) {}

  register(server: McpServer, session: SessionContext): void {
    const template = new ResourceTemplate('dokku://app/{name}', {
      list: async () => ({
        resources: (await this.reader.list('apps', () => this.listApps.execute(session.caller))).map((name) => ({
          uri: `dokku://app/${name}`,
          name: `app ${name}`,
          mimeType: 'application/json',
        })),
      }),
      complete: { name: async (prefix) => (await this.reader.list('apps', () => this.listApps.execute(session.caller))).filter((n) => n.startsWith(prefix)) },
    });
    server.registerResource(
      'app-status',
      template,
      { title: 'App status', description: 'One app: deployed, running, containers, scale, URLs (JSON)', mimeType: 'application/json' },
      (uri, vars) =>
        this.reader.read(session, uri, async () => json(uri, appStatusView(await this.getAppStatus.execute(session.caller, { appName: variable(vars, 'name') }))), variable(vars, 'name')),
    );
  }
}
