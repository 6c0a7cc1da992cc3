import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import type { Caller } from '../../../../src/domain/caller.js';
import { Metrics } from '../../../../src/ports/metrics.port.js';
import { connectAs, followBuild, ok, startHarness, type Harness } from './mcp-harness.js';

/** The Prometheus text the /metrics route will serve: it parses, and its figures match the calls made. */
const READER: Caller = { transport: 'http', sessionId: 'reader-1', tokenId: 'reader', tenant: null, scopes: ['read'] };

let lastText = '';
async function scrape(h: Harness): Promise<Map<string, ParsedFamily>> {
  const { contentType, text } = await h.container.get<Metrics>(Metrics).exposition();
  expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  lastText = text;
  return new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
}
const sample = (families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined => {
  const found = families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return found === undefined ? undefined : Number(found.value ?? found.count);
};

test('tool calls by tool and outcome, durations, sessions by transport, deployments by status, process metrics', async () => {
  const h = await startHarness();
  try {
    const reader = await connectAs(h.container, READER);
    ok(await h.call('list_apps'));
    ok(await h.call('list_apps'));
    await h.call('get_app_status', { app_name: 'no-such-app' }); // error
    await reader.call('restart_app', { app_name: 'node-js-app' }); // denied: read scope
    const { deployment_id } = ok(await h.call('restart_app', { app_name: 'node-js-app' }));
    const polls = (await followBuild(h, deployment_id)).length;

    const families = await scrape(h);
    expect(families.get('dokku_mcp_tool_calls_total')?.type).toBe('COUNTER');
    expect(sample(families, 'dokku_mcp_tool_calls_total', { tool: 'list_apps', outcome: 'ok' })).toBe(2);
    expect(sample(families, 'dokku_mcp_tool_calls_total', { tool: 'get_app_status', outcome: 'error' })).toBe(1);
    expect(sample(families, 'dokku_mcp_tool_calls_total', { tool: 'restart_app', outcome: 'denied' })).toBe(1);
    expect(sample(families, 'dokku_mcp_tool_calls_total', { tool: 'restart_app', outcome: 'ok' })).toBe(1);
    expect(sample(families, 'dokku_mcp_tool_calls_total', { tool: 'get_build_logs', outcome: 'ok' })).toBe(polls);
    expect(families.get('dokku_mcp_tool_call_duration_seconds')?.type).toBe('HISTOGRAM');
    // The parser keeps only a histogram's buckets: its count is read from the text itself.
    expect(lastText).toContain('dokku_mcp_tool_call_duration_seconds_count{tool="list_apps"} 2\n');
    expect(sample(families, 'dokku_mcp_sessions', { transport: 'stdio' })).toBe(1);
    expect(sample(families, 'dokku_mcp_sessions', { transport: 'http' })).toBe(1);
    expect(sample(families, 'dokku_mcp_deployments', { status: 'succeeded' })).toBe(1);
    expect(sample(families, 'dokku_mcp_deployments', { status: 'running' })).toBe(0);
    expect(sample(families, 'dokku_mcp_rate_limited_total')).toBe(0);
    expect(sample(families, 'dokku_mcp_ssh_channels_in_use')).toBe(0); // the sandbox has no SSH
    expect(sample(families, 'dokku_mcp_ssh_channels_queued')).toBe(0);
    expect(families.has('process_cpu_user_seconds_total')).toBe(true);
    expect(families.has('nodejs_heap_size_used_bytes')).toBe(true);

    await reader.close();
    expect(sample(await scrape(h), 'dokku_mcp_sessions', { transport: 'http' })).toBe(0);
  } finally {
    await h.close();
  }
});
