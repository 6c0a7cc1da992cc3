import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ListServices } from '../../../../application/services/list-services.use-case.js';
import { SERVICE_TYPES } from '../../../../domain/service.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { serviceTypeField } from './service-fields.js';

const input = { service_type: serviceTypeField.optional().describe('Only this plugin (default: every installed one)') };
const output = {
  services: z.array(z.object({
    service_type: z.string().describe('Plugin'),
    service_name: z.string().describe('Name'),
    status: z.string().describe('Container state'),
    linked_apps: z.array(z.string()).describe('Apps linked to it'),
  })).describe('Services'),
  count: z.number().int().describe('How many'),
  not_installed: z.array(z.enum(SERVICE_TYPES)).describe('Plugins not installed on the host'),
};

@injectable()
export class ListServicesTool implements McpTool<typeof input, typeof output> {
  readonly name = 'list_services';
  readonly title = 'List services';
  readonly description = 'Datastore services (postgres, mysql, mariadb, redis, mongo) with status and linked apps.';
  readonly kind = 'read';
  readonly toolset = 'services';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(ListServices) private readonly listServices: ListServices) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const { services, notInstalled } = await this.listServices.execute(caller, { serviceType: args.service_type });
    return result({
      services: services.map((s) => ({ service_type: s.type, service_name: s.name, status: s.status, linked_apps: [...s.links] })),
      count: services.length,
      not_installed: notInstalled,
    });
  }
}
