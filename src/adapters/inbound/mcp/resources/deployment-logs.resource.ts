import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { inject, injectable } from 'inversify';
import { GetBuildLogs } from '../../../../application/deployments/get-build-logs.use-case.js';
import { ListDeployments } from '../../../../application/deployments/list-deployments.use-case.js';
import { BUILD_LOG_WHAT, deploymentLogsUri } from '../deployment-view.js';
import type { SessionContext } from '../session-context.js';
import { type McpResource, ResourceReader, untrustedText, variable } from './resource-support.js';

/** dokku://deployment/{id}/logs — the whole build log so far (text/plain). Subscribable: updated as it grows. */
@injectable()
export class DeploymentLogsResource implements McpResource {
  constructor(
    @inject(ListDeployments) private readonly listDeployments: ListDeployments,
    @inject(GetBuildLogs) private readonly getBuildLogs: GetBuildLogs,
    @inject(ResourceReader) private readonly reader: ResourceReader,
  ) {}

  register(server: McpServer, session: SessionContext): void {
    const template = new ResourceTemplate('dokku://deployment/{id}/logs', {
      list: async () => ({
        resources: (await this.reader.list('deployments', async () => [...(await this.listDeployments.execute(session.caller)).deployments])).map((d) => ({
          uri: deploymentLogsUri(d.id),
          name: `build log of ${d.kind} of ${d.app} (${d.status})`,
          mimeType: 'text/plain',
        })),
      }),
    });
    server.registerResource(
      'deployment-logs',
      template,
      {
        title: 'Deployment build log',
        description:
          "A deployment's whole build log so far (text/plain, secrets redacted). Re-read every 1-2 s while it runs, or subscribe for update notifications; get_build_logs returns only the new part.",
        mimeType: 'text/plain',
      },
      (uri, vars) =>
        this.reader.read(session, uri, async () =>
          untrustedText(uri, (await this.getBuildLogs.execute(session.caller, { deploymentId: variable(vars, 'id'), sinceOffset: 0 })).text, BUILD_LOG_WHAT)),
    );
  }
}
