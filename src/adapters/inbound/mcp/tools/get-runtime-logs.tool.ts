import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetRuntimeLogs } from '../../../../application/logs/get-runtime-logs.use-case.js';
import { LogLine } from '../../../../domain/log-line.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField, appOut } from './fields.js';

const input = {
  app_name: appNameField,
  // Only the type is checked here: the use case names the configured maximum (logs.runtime.max_lines) when exceeded.
  lines: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Newest lines to return (default, maximum: server config)'),
  process_type: z.string().optional().describe('Only this process type, e.g. "web" (omit for all)'),
};
const output = {
  app_name: appOut,
  lines: z.number().int().describe('Lines returned'),
  requested_lines: z.number().int().describe('Lines asked for, after the default'),
  logs: z.string().describe('As text (untrusted app output)'),
  entries: z
    .array(
      z.object({
        timestamp: z.string().optional().describe('RFC 3339, from Docker'),
        process: z.string().optional().describe('e.g. web.1'),
        message: z.string().describe('The line, secrets redacted'),
      }),
    )
    .describe('The same lines, parsed, oldest first'),
};

@injectable()
export class GetRuntimeLogsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_runtime_logs';
  readonly title = 'Get runtime logs';
  readonly description =
    'The newest log lines of an app\'s containers (what the app prints), merged by time, secrets redacted. Call again to follow.';
  readonly kind = 'read';
  readonly toolset = 'logs';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetRuntimeLogs) private readonly getRuntimeLogs: GetRuntimeLogs) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const logs = await this.getRuntimeLogs.execute(caller, { appName: args.app_name, lines: args.lines, processType: args.process_type });
    const text = logs.entries.map((entry) => LogLine.format(entry)).join('\n');
    return result(
      { app_name: logs.appName, lines: logs.entries.length, requested_lines: logs.requestedLines, logs: text, entries: logs.entries.map((e) => ({ ...e })) },
      { text, what: `Runtime log output from the app "${logs.appName}"`, omit: ['logs', 'entries'] },
    );
  }
}
