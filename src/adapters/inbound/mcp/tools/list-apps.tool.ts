import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ListApps } from '../../../../application/apps/list-apps.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';

const input = {};
const output = {
  apps: z.array(z.string()).describe('App names, sorted'),
  count: z.number().int().describe('How many'),
};

@injectable()
export class ListAppsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'list_apps';
  readonly title = 'List apps';
  readonly description =
    'Lists the apps on the Dokku host. Start here; then get_app_status for one app.';
  readonly kind = 'read';
  readonly toolset = 'apps';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(ListApps) private readonly listApps: ListApps) {}

  async handle(_args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const apps = await this.listApps.execute(caller);
    return result({ apps, count: apps.length });
  }
}
