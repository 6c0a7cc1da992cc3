import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetRuntimeLogs } from '../../../../application/logs/get-runtime-logs.use-case.js';
import { LogText } from '../../../../domain/log-text.js';
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
    .describe('Default, max: server config'),
  process_type: z.string().optional().describe('Only this process type'),
};
const output = {
  app_name: appOut,
  lines: z.number().int().describe('Lines returned'),
  requested_lines: z.number().int().describe('Asked for, after the default'),
  logs: z.string().describe('Compact text (untrusted)'),
  entries: z
    .array(
      z.object({
        timestamp: z.string().optional().describe('RFC 3339'),
        process: z.string().optional().describe('e.g. web.1'),
        message: z.string().describe('The line, redacted'),
      }),
    )
    .describe('Oldest first'),
};

@injectable()
export class GetRuntimeLogsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_runtime_logs';
  readonly title = 'Get runtime logs';
  readonly description =
    'Newest log lines of an app\'s containers, merged by time, redacted. Live: follow_runtime_logs.';
  readonly kind = 'read';
  readonly toolset = 'logs';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetRuntimeLogs) private readonly getRuntimeLogs: GetRuntimeLogs) {}

  async handle(args: ToolArgs<typeof input>, { caller }: ToolContext) {
    const logs = await this.getRuntimeLogs.execute(caller, { appName: args.app_name, lines: args.lines, processType: args.process_type });
    const text = LogText.ofLines(logs.entries).replace(/\n$/, '');
    return result(
      { app_name: logs.appName, lines: logs.entries.length, requested_lines: logs.requestedLines, logs: text, entries: logs.entries.map((e) => ({ ...e })) },
      { text, what: `Runtime log output from the app "${logs.appName}"`, omit: ['logs', 'entries'] },
    );
  }
}
