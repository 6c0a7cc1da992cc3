import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetAppStatus } from '../../../../application/apps/get-app-status.use-case.js';
import type { AppStatus } from '../../../../ports/dokku-apps.port.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = { app_name: appNameField };
export const appStatusShape = {
  app_name: z.string().describe('The app'),
  deployed: z.boolean().describe('Whether the app has ever been deployed'),
  running: z.enum(['true', 'false', 'mixed']).describe('Dokku\'s "Running": all processes up, none, or some'),
  processes: z
    .array(
      z.object({
        type: z.string().describe('Process type, e.g. web'),
        index: z.number().int().describe('Instance number'),
        status: z.string().describe('Container state: running, exited, missing …'),
        container_id: z.string().optional().describe('Docker container id'),
      }),
    )
    .describe('One entry per container'),
  scale: z.record(z.string(), z.number().int()).describe('Desired process counts, e.g. {"web": 1}'),
  created_at: z.string().optional().describe('When the app was created'),
  deploy_source: z.string().optional().describe('How it was last deployed (git, image …)'),
  urls: z.array(z.string()).describe('URLs the app answers on'),
};

export function appStatusView(s: AppStatus): z.infer<z.ZodObject<typeof appStatusShape>> {
  return {
    app_name: s.name,
    deployed: s.deployed,
    running: s.running,
    processes: s.processes.map((p) => ({ type: p.type, index: p.index, status: p.status, container_id: p.containerId })),
    scale: { ...s.scale },
    created_at: s.createdAt,
    deploy_source: s.deploySource,
    urls: [...s.urls],
  };
}

@injectable()
export class GetAppStatusTool implements McpTool<typeof input, typeof appStatusShape> {
  readonly name = 'get_app_status';
  readonly title = 'Get app status';
  readonly description =
    "Shows one app's state: deployed or not, running (true/false/mixed), each container's status, desired scale and URLs. Use it after a deployment ends to check the app is up; if it is not, read get_runtime_logs (and get_failed_deploy_logs after a failed deploy).";
  readonly kind = 'read';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = appStatusShape;

  constructor(@inject(GetAppStatus) private readonly getAppStatus: GetAppStatus) {}

  async handle(args: ToolArgs<typeof input>) {
    return result(appStatusView(await this.getAppStatus.execute({ appName: args.app_name })));
  }
}
