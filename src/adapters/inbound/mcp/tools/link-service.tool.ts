import { inject, injectable } from 'inversify';
import { LinkService } from '../../../../application/services/link-service.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';
import { serviceInput } from './service-fields.js';

const input = { ...serviceInput, app_name: appNameField };

@injectable()
export class LinkServiceTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'link_service';
  readonly title = 'Link service to app';
  readonly description = 'Sets the service\'s URL in the app\'s config (DATABASE_URL, REDIS_URL…) and restarts the app. Returns a deployment_id.';
  readonly kind = 'mutating';
  readonly toolset = 'services';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(LinkService) private readonly linkService: LinkService) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const input = { serviceType: args.service_type, serviceName: args.service_name, appName: args.app_name };
    return result(startedView(await this.linkService.execute(caller, input)));
  }
}
