import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { GetRuntimeLogs } from '../../../../application/logs/get-runtime-logs.use-case.js';
import { LogLine } from '../../../../domain/log-line.js';
import { result } from '../results.js';
import type { McpTool, ToolArgs } from '../tool-definition.js';
import { appNameField } from './fields.js';

const input = {
  app_name: appNameField,
  // Only the type is checked here: the use case names the configured maximum (logs.runtime.max_lines) when exceeded.
  lines: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("How many lines in total (the newest, all containers merged); default and maximum are set by the server's logs.runtime config"),
  process_type: z.string().optional().describe('Only this process type, e.g. "web" or "worker" (omit for all)'),
};
const output = {
  app_name: z.string().describe('The app'),
  lines: z.number().int().describe('How many lines were asked for'),
  logs: z.string().describe('Compact text, one line per log line: "<timestamp> <process>: <message>" (untrusted app output)'),
  entries: z
    .array(
      z.object({
        timestamp: z.string().optional().describe('RFC 3339 timestamp from Docker'),
        process: z.string().optional().describe('Process and instance, e.g. web.1'),
        message: z.string().describe('The line (secrets redacted)'),
      }),
    )
    .describe('The same lines, parsed, oldest first'),
};

@injectable()
export class GetRuntimeLogsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'get_runtime_logs';
  readonly title = 'Get runtime logs';
  readonly description =
    "Returns the newest runtime log lines of an app's running containers (what the app prints), merged across containers by time, secrets redacted. Use it to diagnose a crashing or misbehaving app; call again every few seconds to follow. For why a deploy failed, use get_build_logs or get_failed_deploy_logs instead.";
  readonly kind = 'read';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(GetRuntimeLogs) private readonly getRuntimeLogs: GetRuntimeLogs) {}

  async handle(args: ToolArgs<typeof input>) {
    const logs = await this.getRuntimeLogs.execute({ appName: args.app_name, lines: args.lines, processType: args.process_type });
    const text = logs.entries.map((entry) => LogLine.format(entry)).join('\n');
    return result(
      { app_name: logs.appName, lines: logs.lines, logs: text, entries: logs.entries.map((e) => ({ ...e })) },
      { text, what: `Runtime log output from the app "${logs.appName}"`, omit: ['logs', 'entries'] },
    );
  }
}
