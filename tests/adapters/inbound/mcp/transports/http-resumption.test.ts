import { afterEach, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { parseEventId } from '../../../../../src/adapters/inbound/mcp/transports/event-ids.js';
import { DeploymentStore } from '../../../../../src/ports/deployment-store.port.js';
import { cutAndResume, gapsAndRepeats, receivedIds, tapGetStreams } from '../../../../support/resumption.js';
import { waitForEnd, waitUntil } from '../../../../support/wait-for.js';
import { ok } from '../mcp-harness.js';
import { startResumableServer, type ResumableServer } from './resumable-http-server.js';

const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const streamSeqOf = (id: string) => parseEventId(id)!.streamSeq;

let server: ResumableServer | undefined;
let clients: Client[] = [];
afterEach(async () => {
  for (const client of clients) await client.close();
  clients = [];
  await server?.close();
  server = undefined;
});

/** The SDK's own client over real HTTP, its GET streams tapped; it reconnects by itself after the server's `retry`. */
async function connect(url: URL, options: { holdFirstGet?: boolean } = {}) {
  const tap = tapGetStreams();
  const release = options.holdFirstGet ? tap.holdGets() : () => undefined;
  const transport = new StreamableHTTPClientTransport(url, {
    fetch: tap.fetch,
    reconnectionOptions: { initialReconnectionDelay: 50, maxReconnectionDelay: 200, reconnectionDelayGrowFactor: 1.5, maxRetries: 5 },
  });
  const client = new Client({ name: 'resumption-test', version: '1.0.0' });
  clients.push(client);
  const updates: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (n) => void updates.push(n.params.uri));
  await client.connect(transport);
  if (!options.holdFirstGet) await waitUntil(() => tap.current !== undefined, 'the client to open its GET stream');
  const call = async (name: string, args: Record<string, unknown>) => ok((await client.callTool({ name, arguments: args })) as CallToolResult);
  return { client, tap, updates, call, release, sessionId: transport.sessionId as string };
}

async function deploy(s: ResumableServer, call: (name: string, args: Record<string, unknown>) => Promise<Record<string, any>>, app: string) {
  const { deployment_id } = await call('deploy_app', { app_name: app, repo_url: REPO });
  const store = s.container.get<DeploymentStore>(DeploymentStore);
  return { id: deployment_id as string, ended: async () => waitForEnd(store, (await store.get(deployment_id))!) };
}

describe('Streamable HTTP resumption (real HTTP, the SDK client, the bounded event store)', () => {
  it('the GET stream cut mid-deploy resumes with Last-Event-ID: no build-log notification lost, none repeated', async () => {
    // 16 steps of 100 ms: with updates debounced by 250 ms, a dozen notifications over the two URIs.
    server = await startResumableServer({ limits: { maxEventsPerSession: 1000, maxEvents: 20_000 }, deployStepMs: 100 });
    const s = server;
    const c = await connect(s.url);
    const deployment = await deploy(s, c.call, 'python-app');
    const uris = [`dokku://deployment/${deployment.id}/logs`, `dokku://deployment/${deployment.id}`];
    for (const uri of uris) await c.client.subscribeResource({ uri });
    const sent = () => s.record.getIds.get(c.sessionId)!;

    const { cursor, resumed } = await cutAndResume(c.tap, {
      cutAfter: 2,
      cut: s.cutGetStream, // the server's side of the connection goes
      whileCut: async () => {
        const before = sent().length;
        await waitUntil(() => sent().length >= before + 3, 'the deploy to send notifications while the stream is down');
      },
    });
    await deployment.ended();
    await waitUntil(() => receivedIds(c.tap).length >= sent().length, 'every notification sent to reach the client');

    expect(resumed.lastEventId).toBe(cursor);
    expect(receivedIds(c.tap)).toEqual(sent()); // the same events, in the same order: none lost, none repeated
    expect(gapsAndRepeats(receivedIds(c.tap), streamSeqOf)).toEqual({ lost: [], repeated: [] });
    expect(s.record.replayed).toBeGreaterThan(0); // some of them came by the replay
    expect(c.updates).toHaveLength(sent().length); // and the Client handled each one once
    expect(new Set(c.updates)).toEqual(new Set(uris));
    expect(s.record.losses).toEqual([]);
  });

  it('a resumed stream cut before it delivered anything (the SDK client then drops its cursor) still misses nothing', async () => {
    server = await startResumableServer({ limits: { maxEventsPerSession: 1000, maxEvents: 20_000 }, deployStepMs: 100 });
    const s = server;
    const c = await connect(s.url);
    const deployment = await deploy(s, c.call, 'python-app');
    await c.client.subscribeResource({ uri: `dokku://deployment/${deployment.id}/logs` });
    const sent = () => s.record.getIds.get(c.sessionId)!;

    await cutAndResume(c.tap, {
      whileCut: async () => {
        const before = sent().length;
        await waitUntil(() => sent().length >= before + 2, 'notifications while the stream is down');
        c.tap.cutNextOnOpen(); // the resume's stream goes before the client reads its replay
      },
    });
    // The SDK client reconnects once more, without Last-Event-ID; the server resumes it from the cursor of the last resume.
    await waitUntil(() => c.tap.streams.length >= 3, 'the client to reconnect again');
    await deployment.ended();
    await waitUntil(() => receivedIds(c.tap).length >= sent().length, 'every notification sent to reach the client');

    expect(receivedIds(c.tap)).toEqual(sent());
    expect(c.updates).toHaveLength(sent().length);
  });

  it('notifications sent before the client opened its first GET stream are replayed on it', async () => {
    server = await startResumableServer({ limits: { maxEventsPerSession: 1000, maxEvents: 20_000 }, deployStepMs: 50 });
    const s = server;
    const c = await connect(s.url, { holdFirstGet: true });
    const deployment = await deploy(s, c.call, 'python-app');
    await c.client.subscribeResource({ uri: `dokku://deployment/${deployment.id}/logs` });
    const sent = () => s.record.getIds.get(c.sessionId)!;
    await waitUntil(() => sent().length >= 2, 'notifications before the GET stream is open');
    c.release();
    await deployment.ended();
    await waitUntil(() => receivedIds(c.tap).length >= sent().length, 'every notification sent to reach the client');

    expect(receivedIds(c.tap)).toEqual(sent());
    expect(gapsAndRepeats(receivedIds(c.tap), streamSeqOf)).toEqual({ lost: [], repeated: [] });
    expect(c.tap.streams[0]!.lastEventId).toBeUndefined(); // a fresh GET, as the SDK client sends it
  });

  it('with the id evicted, every subscription of the session gets resources/updated after the resume', async () => {
    // Four events per session: each tool call stores two (the POST stream's priming event and its result).
    server = await startResumableServer({ limits: { maxEventsPerSession: 4, maxEvents: 100 }, deployStepMs: 30 });
    const s = server;
    const c = await connect(s.url);
    const earlier = await deploy(s, c.call, 'node-js-app');
    await c.call('cancel_deployment', { deployment_id: earlier.id }); // ended: its subscriptions get no news of their own
    const running = await deploy(s, c.call, 'python-app');
    const uris = [`dokku://deployment/${earlier.id}`, `dokku://deployment/${earlier.id}/logs`, `dokku://deployment/${running.id}/logs`];
    for (const uri of uris) await c.client.subscribeResource({ uri });
    const sent = () => s.record.getIds.get(c.sessionId)!;

    const { resumed } = await cutAndResume(c.tap, {
      whileCut: async () => {
        const before = sent().length;
        await waitUntil(() => sent().length > before, 'a notification while the stream is down');
        for (let i = 0; i < 3; i++) await c.call('get_deployment_status', { deployment_id: running.id }); // evicts it
      },
    });
    const updatedOnResumed = () => new Set(resumed.events.map((e) => JSON.parse(e.data).params?.uri));
    await waitUntil(() => uris.every((uri) => updatedOnResumed().has(uri)), 'resources/updated for every subscription');

    expect(s.record.losses).toEqual([c.sessionId]);
    expect(gapsAndRepeats(receivedIds(c.tap), streamSeqOf).lost.length).toBeGreaterThan(0); // the loss was real
    expect(c.updates).toEqual(expect.arrayContaining(uris));
    await running.ended();
  });
});
