import { inject, injectable } from 'inversify';
import { CreateService } from '../../../../application/services/create-service.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { nextStepOut } from './fields.js';
import { serviceInfoShape, serviceInfoView, serviceInput } from './service-fields.js';

const input = serviceInput;
const output = { ...serviceInfoShape, next_step: nextStepOut };

@injectable()
export class CreateServiceTool implements McpTool<typeof input, typeof output> {
  readonly name = 'create_service';
  readonly title = 'Create service';
  readonly description = 'Creates a datastore service (pulls its image, starts it; may take a minute). Then link_service.';
  readonly kind = 'mutating';
  readonly toolset = 'services';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(CreateService) private readonly createService: CreateService) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const view = await this.createService.execute(caller, { serviceType: args.service_type, serviceName: args.service_name });
    return result({
      ...serviceInfoView(view),
      next_step: `link_service("${view.type}", "${view.name}", app_name) to give an app its URL (the app restarts).`,
    });
  }
}
