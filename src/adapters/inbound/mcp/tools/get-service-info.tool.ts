import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetServiceInfo } from '../../../../application/services/get-service-info.use-case.js';
import { McpServerOptions } from '../mcp-options.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { refuseRevealWhenReadOnly } from './reveal.js';
import { serviceInfoShape, serviceInfoView, serviceInput } from './service-fields.js';

const input = {
  ...serviceInput,
  reveal: z.boolean().optional().describe('Show the DSN password (default false). A secret sent to the model'),
};
const output = serviceInfoShape;

@injectable()
export class GetServiceInfoTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_service_info';
  readonly title = 'Get service info';
  readonly description = 'A service\'s status, image version, linked apps and DSN (password masked unless reveal: true).';
  readonly kind = 'read';
  readonly toolset = 'services';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(
    @inject(GetServiceInfo) private readonly getServiceInfo: GetServiceInfo,
    @inject(McpServerOptions) private readonly options: McpServerOptions,
  ) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    refuseRevealWhenReadOnly(this.options, args.reveal, 'never shows service passwords', 'Call get_service_info without reveal; the password must come from the operator.');
    return result(serviceInfoView(await this.getServiceInfo.execute(caller, { serviceType: args.service_type, serviceName: args.service_name, reveal: args.reveal })));
  }
}
