import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { inject, injectable } from 'inversify';
import { GetServerInfo } from '../../../../application/server/get-server-info.use-case.js';
import { McpServerOptions } from '../mcp-options.js';
import type { SessionContext } from '../session-context.js';
import { json, type McpResource, ResourceReader } from './resource-support.js';

const BUILD_RECORD_MISSING =
  'This Dokku (< 0.38) keeps no build record (builds:*): only deployments started by this server since it started are known, and cancel_deployment is unavailable.';

export const SIMULATED_STATEMENT =
  'This Dokku host is SIMULATED (sandbox mode): apps, deploys and logs are generated in memory and no real server or app is affected.';

/** dokku://server/info — Dokku version, host, plugins and whether the host is simulated (JSON). */
@injectable()
export class ServerInfoResource implements McpResource {
  constructor(
    @inject(GetServerInfo) private readonly getServerInfo: GetServerInfo,
    @inject(McpServerOptions) private readonly options: McpServerOptions,
    @inject(ResourceReader) private readonly reader: ResourceReader,
  ) {}

  register(server: McpServer, session: SessionContext): void {
    server.registerResource(
      'server-info',
      'dokku://server/info',
      { title: 'Dokku server info', description: 'Dokku version, host, plugins, the host features this server uses, whether simulated, live log streams (JSON; admin scope)', mimeType: 'application/json' },
      (uri) =>
        this.reader.read(session, uri, async () => {
          const info = await this.getServerInfo.execute(session.caller);
          const simulated = info.simulated || this.options.simulated;
          return json(uri, {
            dokku_version: info.dokkuVersion,
            host: info.host,
            simulated,
            ...(simulated ? { note: SIMULATED_STATEMENT } : {}),
            read_only: this.options.readOnly,
            // What this server can do with this host: the build record needs Dokku 0.38+ (builds:*).
            features: {
              host_build_record: info.features.buildRecord,
              deployment_ids_survive_restart: info.features.buildRecord,
              cancel_deployment: info.features.buildRecord,
              verified_deploys: true,
              rollback: true,
              ...(info.features.buildRecord ? {} : { note: BUILD_RECORD_MISSING }),
            },
            plugins: info.plugins.map((p) => ({ name: p.name, version: p.version, enabled: p.enabled })),
            log_streams: { followed_apps: info.logStreams.followedApps, subscriptions: info.logStreams.subscriptions },
          });
        }),
    );
  }
}
