import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { inject, injectable } from 'inversify';
import { ListApps } from '../../../../application/apps/list-apps.use-case.js';
import type { SessionContext } from '../session-context.js';
import { json, type McpResource, ResourceReader } from './resource-support.js';

/** dokku://apps — the app names, as JSON. */
@injectable()
export class AppsResource implements McpResource {
  constructor(
    @inject(ListApps) private readonly listApps: ListApps,
    @inject(ResourceReader) private readonly reader: ResourceReader,
  ) {}

  register(server: McpServer, session: SessionContext): void {
    server.registerResource(
      'apps',
      'dokku://apps',
      { title: 'Apps', description: 'All apps on the Dokku host (JSON: {apps: string[]})', mimeType: 'application/json' },
      (uri) => this.reader.read(session, uri, async () => json(uri, { apps: await this.listApps.execute(session.caller) })),
    );
  }
}
