import { inject, injectable } from 'inversify';
import { UnlinkService } from '../../../../application/services/unlink-service.use-case.js';
import { startedShape, startedView } from '../deployment-view.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField } from './fields.js';
import { serviceInput } from './service-fields.js';

const input = { ...serviceInput, app_name: appNameField };

@injectable()
export class UnlinkServiceTool implements McpTool<typeof input, typeof startedShape> {
  readonly name = 'unlink_service';
  readonly title = 'Unlink service from app';
  readonly description = 'Unsets the service\'s URL from the app\'s config and restarts the app. Returns a deployment_id.';
  readonly kind = 'mutating';
  readonly toolset = 'services';
  readonly idempotent = false;
  readonly inputSchema = input;
  readonly outputSchema = startedShape;

  constructor(@inject(UnlinkService) private readonly unlinkService: UnlinkService) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const input = { serviceType: args.service_type, serviceName: args.service_name, appName: args.app_name };
    return result(startedView(await this.unlinkService.execute(caller, input)));
  }
}
