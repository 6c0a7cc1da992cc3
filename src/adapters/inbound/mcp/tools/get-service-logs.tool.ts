import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetServiceLogs } from '../../../../application/services/get-service-logs.use-case.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { serviceInput } from './service-fields.js';

const input = { ...serviceInput, lines: z.number().int().optional().describe('Newest lines, 1-100 (default 100)') };
const output = {
  lines: z.number().int().describe('How many came back'),
  text: z.string().describe('The container\'s output (untrusted)'),
};

@injectable()
export class GetServiceLogsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_service_logs';
  readonly title = 'Get service logs';
  readonly description = 'The newest lines the service\'s container printed (its database server\'s log), redacted.';
  readonly kind = 'read';
  readonly toolset = 'services';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetServiceLogs) private readonly getServiceLogs: GetServiceLogs) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const { lines } = await this.getServiceLogs.execute(caller, { serviceType: args.service_type, serviceName: args.service_name, lines: args.lines });
    const text = lines.join('\n');
    return result(
      { lines: lines.length, text },
      { text, what: `Output of the ${args.service_type} service "${args.service_name}"`, omit: ['text'] },
    );
  }
}
