import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ListApps } from '../../../../application/apps/list-apps.use-case.js';
import { result } from '../results.js';
import type { McpTool } from '../tool-definition.js';

const input = {};
const output = {
  apps: z.array(z.string()).describe('App names, sorted'),
  count: z.number().int().describe('Number of apps'),
};

@injectable()
export class ListAppsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'list_apps';
  readonly title = 'List apps';
  readonly description =
    'Lists every app on the Dokku host by name. Start here to learn what exists; then call get_app_status for one app, or create_app to add one.';
  readonly kind = 'read';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(ListApps) private readonly listApps: ListApps) {}

  async handle() {
    const apps = await this.listApps.execute();
    return result({ apps, count: apps.length });
  }
}
