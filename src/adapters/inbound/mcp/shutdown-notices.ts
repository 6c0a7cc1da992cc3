import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ServerLifecycle, ShutdownNotice, ShutdownReport } from '../../../application/server/server-lifecycle.js';

const LOGGER = 'dokku-mcp';
const list = (deployments: ShutdownNotice['running']): string => deployments.map((d) => `${d.id} (${d.app})`).join(', ');

/** The first notice: what stops, what goes on, for how long. */
export function stoppingText(notice: ShutdownNotice): string {
  const running = notice.running.length
    ? ` The running deployments ${list(notice.running)} get up to ${Math.round(notice.graceMs / 1000)} s to finish; follow them with get_deployment_status.`
    : '';
  return `dokku-mcp is shutting down (${notice.why}): it starts no new deploys or changes; reads still answer until this session closes.${running}`;
}

/** The last word before the session closes. */
export function stoppedText(report: ShutdownReport): string {
  const unknown = report.unfinished.filter((d) => d.outcome === 'unknown');
  const known = report.unfinished.filter((d) => d.outcome !== 'unknown');
  const settled = known.length
    ? ` Still running at the end of the grace, so their channels were closed; the host's build record says: ${known.map((d) => `${d.id} (${d.app}) ${d.outcome}`).join(', ')}.`
    : '';
  const unfinished = unknown.length
    ? ` Still running, so their outcome is unknown (the server shut down): ${list(unknown)}; check get_app_status once the server is back.`
    : '';
  return `dokku-mcp is closing this session now (${report.why}).${settled}${unfinished || (settled ? '' : ' No deployment was left running.')}`;
}

/**
 * Tells the session's client, as MCP log notifications (on stdio; on HTTP the session's GET stream), that the server is
 * stopping and, as its final event before the session closes, what was left unfinished. Returns the unsubscribe function.
 */
export function announceShutdown(server: McpServer, lifecycle: ServerLifecycle): () => void {
  const send = (data: Record<string, unknown>) => server.sendLoggingMessage({ level: 'warning', logger: LOGGER, data });
  const stopStopping = lifecycle.onStopping((notice) =>
    send({ event: 'shutting_down', why: notice.why, grace_seconds: notice.graceMs / 1000, running: notice.running, message: stoppingText(notice) }),
  );
  const stopStopped = lifecycle.onStopped((report) =>
    send({ event: 'shut_down', why: report.why, unfinished: report.unfinished, message: stoppedText(report) }),
  );
  return () => {
    stopStopping();
    stopStopped();
  };
}
