import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { DestroyService } from '../../../../application/services/destroy-service.use-case.js';
import { ServiceName, serviceType, SERVICE_PLUGINS } from '../../../../domain/service.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { serviceInput } from './service-fields.js';

const input = serviceInput;
const output = { destroyed: z.boolean().describe('True: it is gone') };

@injectable()
export class DestroyServiceTool implements McpTool<typeof input, typeof output> {
  readonly name = 'destroy_service';
  readonly title = 'Destroy service';
  readonly description = 'Deletes a service with all its data. Irreversible; refused while linked. Only when the user asked.';
  readonly kind = 'destructive';
  readonly toolset = 'services';
  readonly confirmField = 'service_name';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(DestroyService) private readonly destroyService: DestroyService) {}

  confirmation(args: ToolArgs<typeof input>) {
    const name = ServiceName.of(args.service_name).value;
    const title = SERVICE_PLUGINS[serviceType(args.service_type)].title;
    return { target: { field: 'service_name' as const, value: name }, summary: `Destroy ${title} service "${name}" with all its data (irreversible)` };
  }

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    await this.destroyService.execute(caller, { serviceType: args.service_type, serviceName: args.service_name });
    return result({ destroyed: true });
  }
}
