import { afterEach, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { cutAndResume, gapsAndRepeats, receivedIds, tapGetStreams } from '../support/resumption.js';
import { startHttpServer, type HttpServer } from '../support/http-server.js';
import { waitUntil } from '../support/wait-for.js';

/**
 * Resumption through the BUILT server: the GET stream is cut mid-deploy by the client's connection dropping, the SDK
 * client reconnects with Last-Event-ID, and the events it gets are checked from the ids alone (each stream numbers its
 * events 1, 2, 3: the third part of our ids). The client cannot know what the server sent, so each run ends on a
 * sentinel: a second deployment, subscribed and cancelled, whose end is notified at once; the GET stream is in order.
 */
const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const streamSeqOf = (id: string): number => Number(id.split('.')[2]);

let server: HttpServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  await server?.stop();
  server = undefined;
});

async function connect(s: HttpServer) {
  const tap = tapGetStreams();
  const transport = new StreamableHTTPClientTransport(new URL(s.url), {
    fetch: tap.fetch,
    reconnectionOptions: { initialReconnectionDelay: 50, maxReconnectionDelay: 200, reconnectionDelayGrowFactor: 1.5, maxRetries: 5 },
  });
  client = new Client({ name: 'resumption-e2e', version: '1.0.0' });
  const updates: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (n) => void updates.push(n.params.uri));
  await client.connect(transport);
  await waitUntil(() => tap.current !== undefined, 'the client to open its GET stream');
  const c = client;
  const call = async (name: string, args: Record<string, unknown>): Promise<Record<string, any>> => {
    const result = (await c.callTool({ name, arguments: args })) as CallToolResult;
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    return result.structuredContent as Record<string, any>;
  };
  const deploy = async (app: string): Promise<string> => (await call('deploy_app', { app_name: app, repo_url: REPO })).deployment_id;
  const ended = async (id: string): Promise<void> => {
    for (let waited = 0; ['pending', 'running'].includes((await call('get_deployment_status', { deployment_id: id })).status); waited += 100) {
      if (waited > 20_000) throw new Error(`deployment ${id} did not end`);
      await new Promise((done) => setTimeout(done, 100));
    }
  };
  return { client: c, tap, updates, call, deploy, ended };
}

/** Subscribes to a new deployment's status and cancels it: its end is notified at once, after everything before it. */
async function sentinel(c: Awaited<ReturnType<typeof connect>>, app: string): Promise<void> {
  const id = await c.deploy(app);
  const uri = `dokku://deployment/${id}`;
  await c.client.subscribeResource({ uri });
  await c.call('cancel_deployment', { deployment_id: id });
  await waitUntil(() => c.updates.includes(uri), 'the sentinel deployment\'s end to reach the client');
}

describe('Streamable HTTP resumption against the built server', () => {
  it('the GET stream cut mid-deploy resumes with Last-Event-ID: no build-log notification lost, none repeated', async () => {
    server = await startHttpServer(['--sandbox'], { DOKKU_MCP_SANDBOX_DEPLOY_STEP_MS: '100' });
    const c = await connect(server);
    const id = await c.deploy('python-app');
    await c.client.subscribeResource({ uri: `dokku://deployment/${id}/logs` });
    const before = () => c.updates.length;

    const { cursor, resumed } = await cutAndResume(c.tap, {
      whileCut: async () => {
        // The deploy keeps writing while the client has no stream: those notifications must come by the replay.
        const seen = before();
        await new Promise((done) => setTimeout(done, 700));
        expect(c.updates.length).toBe(seen);
      },
    });
    await c.ended(id);
    await sentinel(c, 'node-js-app');

    expect(resumed.lastEventId).toBe(cursor);
    const ids = receivedIds(c.tap);
    expect(gapsAndRepeats(ids, streamSeqOf)).toEqual({ lost: [], repeated: [] });
    expect(resumed.events.filter((e) => e.id).length).toBeGreaterThan(1); // the replay delivered the missed ones
    expect(c.updates.length).toBe(ids.length); // the Client handled each once
  });

  it('with the id evicted, every subscription of the session gets resources/updated after the resume', async () => {
    server = await startHttpServer(['--sandbox'], {
      DOKKU_MCP_SANDBOX_DEPLOY_STEP_MS: '100',
      DOKKU_MCP_TRANSPORT_EVENT_STORE_MAX_EVENTS_PER_SESSION: '4',
      DOKKU_MCP_TRANSPORT_EVENT_STORE_MAX_EVENTS: '100',
    });
    const c = await connect(server);
    const earlier = await c.deploy('node-js-app');
    await c.call('cancel_deployment', { deployment_id: earlier });
    const running = await c.deploy('python-app');
    const uris = [`dokku://deployment/${earlier}`, `dokku://deployment/${earlier}/logs`, `dokku://deployment/${running}/logs`];
    for (const uri of uris) await c.client.subscribeResource({ uri });

    const { resumed } = await cutAndResume(c.tap, {
      whileCut: async () => {
        // The running deploy's log notifications go to the store while the stream is down (debounced: one per 250 ms);
        // then each tool call stores two events (its stream's priming event and its result): three evict them all.
        await new Promise((done) => setTimeout(done, 600));
        for (let i = 0; i < 3; i++) await c.call('get_deployment_status', { deployment_id: running });
      },
    });
    const updatedOnResumed = () => new Set(resumed.events.flatMap((e) => (e.data ? [JSON.parse(e.data).params?.uri] : [])));
    await waitUntil(() => uris.every((uri) => updatedOnResumed().has(uri)), 'resources/updated for every subscription');
    expect(c.updates).toEqual(expect.arrayContaining(uris));
    await c.ended(running);
  });
});
