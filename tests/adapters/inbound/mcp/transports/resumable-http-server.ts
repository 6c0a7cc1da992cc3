import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { StreamableHTTPServerTransport, type EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { McpServerFactory, type McpSession } from '../../../../../src/adapters/inbound/mcp/server-factory.js';
import { BoundedEventStore, type EventStoreLimits } from '../../../../../src/adapters/inbound/mcp/transports/bounded-event-store.js';
import { SandboxDokkuHost } from '../../../../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { DEFAULT_SANDBOX_SEED } from '../../../../../src/adapters/outbound/sandbox/sandbox-seed.js';
import { buildContainer } from '../../../../../src/container.js';
import { unrestrictedCaller } from '../../../../../src/domain/caller.js';
import { testConfig } from '../mcp-harness.js';

/** What the server did, for the tests to compare with what the client saw. */
export interface ServerRecord {
  /** Per session: the id of every event stored for its GET stream, in order. */
  readonly getIds: Map<string, string[]>;
  /** Sessions whose resume was reported as a loss (onResumeLoss), once per resume. */
  readonly losses: string[];
  /** Events sent by replays. */
  replayed: number;
}

/**
 * A minimal stateful Streamable HTTP server on loopback: one SDK StreamableHTTPServerTransport per session with the
 * BoundedEventStore, our McpServerFactory over a sandbox container. Only what resumption needs (the real endpoint,
 * with its checks and limits, is the HTTP adapter's); `cutGetStream()` destroys the socket of the open GET stream.
 */
export async function startResumableServer(options: { limits: EventStoreLimits; deployStepMs: number; retryMs?: number }) {
  const host = new SandboxDokkuHost({ deployStepMs: options.deployStepMs, seed: DEFAULT_SANDBOX_SEED });
  const logStream = new Writable({ write: (_chunk, _encoding, done) => done() });
  const container = buildContainer(testConfig(), '0.0.0-test', { logStream, sandboxHost: host });
  const factory = container.get(McpServerFactory);
  const events = new BoundedEventStore(options.limits);
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; session: McpSession }>();
  const openGets = new Set<ServerResponse>();
  const record: ServerRecord = { getIds: new Map(), losses: [], replayed: 0 };

  const open = async () => {
    const id = randomUUID();
    const session = factory.create(unrestrictedCaller('http', id));
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      eventStore: recorded(id, events.forSession(id, () => {
        record.losses.push(id);
        session.notifyAllSubscriptions();
      })),
      retryInterval: options.retryMs ?? 50,
    });
    transport.onclose = () => {
      events.dropSession(id);
      sessions.delete(id);
    };
    await session.server.connect(transport);
    const entry = { transport, session };
    sessions.set(id, entry);
    return entry;
  };

  // Records the GET stream's ids and the replays, passing everything through unchanged (and as synchronously).
  const recorded = (sessionId: string, store: EventStore): EventStore => {
    const ids: string[] = [];
    record.getIds.set(sessionId, ids);
    return {
      storeEvent: (streamId, message) =>
        store.storeEvent(streamId, message).then((id) => {
          if (streamId === '_GET_stream') ids.push(id);
          return id;
        }),
      replayEventsAfter: (lastEventId, { send }) =>
        store.replayEventsAfter(lastEventId, {
          send: (id, message) => {
            record.replayed++;
            return send(id, message);
          },
        }),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = req.method === 'POST' ? JSON.parse(await readAll(req)) : undefined;
    const sessionId = req.headers['mcp-session-id'];
    const entry = typeof sessionId === 'string' ? sessions.get(sessionId) : isInitializeRequest(body) ? await open() : undefined;
    if (!entry) {
      res.writeHead(404).end();
      return;
    }
    if (req.method === 'GET' && req.headers['last-event-id'] === undefined) {
      // What the HTTP adapter does too: a GET without an id may still have something to replay (see cursorForFreshGet).
      const cursor = events.cursorForFreshGet(sessionId as string);
      if (cursor !== undefined) withLastEventId(req, cursor);
    }
    if (req.method === 'GET') {
      openGets.add(res);
      res.once('close', () => openGets.delete(res));
    }
    await entry.transport.handleRequest(req, res, body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`),
    container,
    events,
    record,
    /** Destroys the socket of every open GET stream, as a network drop on the server's side would. */
    cutGetStream: () => openGets.forEach((res) => res.socket?.destroy()),
    close: async () => {
      for (const { session } of [...sessions.values()]) await session.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      host.dispose();
    },
  };
}

export type ResumableServer = Awaited<ReturnType<typeof startResumableServer>>;

/** The SDK's transport reads the request's raw headers (through @hono/node-server): set the header in both forms. */
function withLastEventId(req: IncomingMessage, cursor: string): void {
  req.headers['last-event-id'] = cursor;
  req.rawHeaders.push('Last-Event-ID', cursor);
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
