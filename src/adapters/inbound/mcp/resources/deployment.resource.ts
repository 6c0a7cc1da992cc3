import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { inject, injectable } from 'inversify';
import { GetDeployment } from '../../../../application/deployments/get-deployment.use-case.js';
import { ListDeployments } from '../../../../application/deployments/list-deployments.use-case.js';
import { deploymentErrorText, deploymentUri, deploymentView } from '../deployment-view.js';
import type { SessionContext } from '../session-context.js';
import { jsonWithUntrusted, type McpResource, ResourceReader, variable } from './resource-support.js';

/** dokku://deployment/{id} — one deployment's status (JSON). Subscribable: updated on every change. */
@injectable()
export class DeploymentResource implements McpResource {
  constructor(
    @inject(ListDeployments) private readonly listDeployments: ListDeployments,
    @inject(GetDeployment) private readonly getDeployment: GetDeployment,
    @inject(ResourceReader) private readonly reader: ResourceReader,
  ) {}

  register(server: McpServer, session: SessionContext): void {
    const template = new ResourceTemplate('dokku://deployment/{id}', {
      list: async () => ({
        resources: (await this.reader.list('deployments', async () => [...(await this.listDeployments.execute(session.caller)).deployments])).map((d) => ({
          uri: deploymentUri(d.id),
          name: `${d.kind} of ${d.app} (${d.status})`,
          mimeType: 'application/json',
        })),
      }),
    });
    server.registerResource(
      'deployment',
      template,
      {
        title: 'Deployment',
        description: 'One deployment: status, kind, app, source, timestamps, exit code (JSON); its error, if any, follows as fenced text',
        mimeType: 'application/json',
      },
      (uri, vars) =>
        this.reader.read(session, uri, async () => {
          const view = deploymentView(await this.getDeployment.execute(session.caller, { deploymentId: variable(vars, 'id') }));
          return jsonWithUntrusted(uri, view, deploymentErrorText(view));
        }),
    );
  }
}
