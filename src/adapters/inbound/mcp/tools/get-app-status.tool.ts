import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetAppStatus } from '../../../../application/apps/get-app-status.use-case.js';
import type { AppStatus } from '../../../../ports/dokku-apps.port.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField, appOut } from './fields.js';

const input = { app_name: appNameField };
export const appStatusShape = {
  app_name: appOut,
  deployed: z.boolean().describe('Whether it has ever been deployed'),
  running: z.boolean().describe('All processes run'),
  processes_running: z.number().int().describe('Processes running'),
  processes_total: z.number().int().describe('Processes in all'),
  processes: z
    .array(
      z.object({
        type: z.string().describe('e.g. web'),
        index: z.number().int().describe('Instance number'),
        status: z.string().describe('e.g. running, exited'),
        container_id: z.string().optional().describe('Container id'),
      }),
    )
    .describe('One per container'),
  scale: z.record(z.string(), z.number().int()).describe('Desired count per type'),
  created_at: z.string().optional().describe('When it was created'),
  deploy_source: z.string().optional().describe('e.g. git, image'),
  urls: z.array(z.string()).describe('URLs it answers on'),
};

export function appStatusView(s: AppStatus): z.infer<z.ZodObject<typeof appStatusShape>> {
  const running = s.processes.filter((p) => p.status === 'running').length;
  return {
    app_name: s.name,
    deployed: s.deployed,
    // Dokku's own "mixed" is what the two counts show; `running` says one thing: everything is up.
    running: s.processes.length > 0 && running === s.processes.length,
    processes_running: running,
    processes_total: s.processes.length,
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
    "One app's state: deployed, processes, containers, scale, URLs. App down? See get_runtime_logs.";
  readonly kind = 'read';
  readonly toolset = 'apps';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = appStatusShape;

  constructor(@inject(GetAppStatus) private readonly getAppStatus: GetAppStatus) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    return result(appStatusView(await this.getAppStatus.execute(caller, { appName: args.app_name })));
  }
}
