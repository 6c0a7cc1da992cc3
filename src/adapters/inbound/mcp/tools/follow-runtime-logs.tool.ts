import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { FollowRuntimeLogs, FOLLOW_MAX_SECONDS } from '../../../../application/logs/follow-runtime-logs.use-case.js';
import { LogText, LogTextWriter, markerText } from '../../../../domain/log-text.js';
import type { RuntimeLogItem } from '../../../../domain/runtime-log-item.js';
import { result } from '../results.js';
import { fenceUntrusted } from '../untrusted-fence.js';
import type { McpTool, ToolArgs, ToolContext } from '../tool-definition.js';
import { appNameField, appOut } from './fields.js';

const input = {
  app_name: appNameField,
  // Types only: the use case states the rules (at most 50 s; at most logs.runtime.max_lines) when broken.
  seconds: z.number().optional().describe(`Default 15, max ${FOLLOW_MAX_SECONDS}`),
  max_lines: z.number().int().optional().describe('Max lines (max: server config)'),
  process_type: z.string().optional().describe('Only this process type'),
};
const output = {
  app_name: appOut,
  count: z.number().int().describe('Lines'),
  entries: z
    .array(
      z.object({
        timestamp: z.string().optional().describe('RFC 3339'),
        process: z.string().optional().describe('e.g. web.1'),
        message: z.string().describe('The line (redacted) or marker text'),
        marker: z.enum(['gap', 'restarted', 'end']).optional().describe('Not a line (docs/LOGS.md)'),
      }),
    )
    .describe('In arrival order'),
  truncated: z.boolean().describe('Cut at max_lines'),
  ended_by: z.enum(['seconds', 'max_lines', 'cancelled', 'end']).describe('Why it ended'),
};

/** A marker's entry carries its text form ("--- gap: 12 lines missed (why) ---"), count and reason included. */
function entryOf(item: RuntimeLogItem) {
  return item.type === 'line' ? { ...item.line } : { message: markerText(item), marker: item.type };
}

@injectable()
export class FollowRuntimeLogsTool implements McpTool<typeof input, typeof output> {
  readonly name = 'follow_runtime_logs';
  readonly title = 'Follow runtime logs';
  readonly description =
    "An app's live log lines for up to 50 s (also as progress, given a progressToken).";
  readonly kind = 'read';
  readonly toolset = 'logs';
  readonly idempotent = true;
  readonly inputSchema = input;
  readonly outputSchema = output;

  constructor(@inject(FollowRuntimeLogs) private readonly follow: FollowRuntimeLogs) {}

  async handle(args: ToolArgs<typeof input>, { caller, signal, progress }: ToolContext) {
    const writer = new LogTextWriter();
    const what = `Runtime log output from the app "${args.app_name}"`;
    let sent = 0;
    const followed = await this.follow.execute(caller, {
      appName: args.app_name,
      seconds: args.seconds,
      maxLines: args.max_lines,
      processType: args.process_type,
      signal,
      // progress counts entries (lines and markers), so it grows with every notification as MCP requires.
      // Each progress message is a response of its own: fenced on its own.
      onBatch: progress && ((items) => progress((sent += items.length), fenceUntrusted(writer.write(items), what)).catch(() => undefined)),
    });
    const text = LogText.of(followed.items).replace(/\n$/, '');
    return result(
      { app_name: followed.appName, count: followed.lineCount, entries: followed.items.map(entryOf), truncated: followed.truncated, ended_by: followed.endedBy },
      { text, what: `Runtime log output from the app "${followed.appName}"`, omit: ['entries'] },
    );
  }
}
