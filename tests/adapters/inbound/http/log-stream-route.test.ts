import { afterEach, describe, expect, it } from '@jest/globals';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { logStreamRoute, type StreamEvent, type StreamRequest, type StreamSubscription } from '../../../../src/adapters/inbound/http/log-stream-route.js';
import { jsonRpcRefusal } from '../../../../src/adapters/inbound/http/json-rpc-refusal.js';
import { waitUntil } from '../../../support/wait-for.js';

/**
 * The SSE route over a real socket, with a scripted subscription: a client that stops reading fills the socket, and
 * from then on the route skips and counts instead of queueing; on drain one `gap` says how many. Heartbeats and the
 * shutdown's last event too.
 */
class ScriptedSubscription implements StreamSubscription {
  private queue: StreamEvent[] = [];
  private seq = 0;
  closed = false;
  skippedTotal = 0;
  onAvailable: () => void = () => undefined;

  push(count: number, messageBytes: number): void {
    for (let i = 0; i < count; i++) {
      this.seq++;
      this.queue.push({ id: `e1-${this.seq}`, item: { type: 'line', line: { timestamp: '2026-12-03T10:00:00.000000000Z', process: 'web.1', message: `${this.seq} ${'x'.repeat(messageBytes)}` } } });
    }
    this.onAvailable();
  }
  read(max = Infinity): StreamEvent[] {
    return this.queue.splice(0, max);
  }
  get pending(): number {
    return this.queue.length;
  }
  skip(): number {
    const n = this.queue.length;
    this.queue = [];
    this.skippedTotal += n;
    return n;
  }
  close(): void {
    this.closed = true;
  }
  get pushed(): number {
    return this.seq;
  }
}

describe('GET /apps/{name}/logs/stream', () => {
  let server: Server;
  let socket: Socket | undefined;
  let subscription: ScriptedSubscription;
  let shutdown: ((why: string) => void) | undefined;
  let requested: StreamRequest | undefined;

  async function serve(heartbeatMs = 60_000): Promise<number> {
    subscription = new ScriptedSubscription();
    const app = express();
    const route = logStreamRoute({
      subscribe: async (_req, input) => {
        requested = input;
        subscription.onAvailable = input.onAvailable;
        return subscription;
      },
      redact: async (_app, text) => text,
      refuse: jsonRpcRefusal((t) => t),
      heartbeatMs,
      onShutdown: (listener) => {
        shutdown = listener;
        return () => (shutdown = undefined);
      },
    });
    app.get(route.path, (req, res) => void route.handle(req, res));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return (server.address() as AddressInfo).port;
  }
  function request(port: number, path: string, headers = ''): { received: () => string } {
    let received = '';
    socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
    return { received: () => received };
  }
  afterEach(async () => {
    socket?.destroy();
    await new Promise((r) => server.close(r));
  });

  it('a client that stops reading has its lines skipped and counted, never queued; on each drain a `gap` says how many', async () => {
    const port = await serve();
    const client = request(port, '/apps/web/logs/stream?lines=3&process_type=web', 'Last-Event-ID: e1-7\r\n');
    await waitUntil(() => client.received().includes('live runtime logs'), 'the stream to start');
    expect(requested).toMatchObject({ appName: 'web', backlog: 3, processType: 'web', after: 'e1-7' });
    socket!.pause(); // reads nothing more: the kernel's buffers fill, then the server's
    for (let round = 0; round < 400 && subscription.skippedTotal === 0; round++) {
      subscription.push(64, 16 * 1024);
      await new Promise((r) => setImmediate(r));
    }
    expect(subscription.skippedTotal).toBeGreaterThan(0); // the route stopped reading lines and skips them
    subscription.push(500, 16 * 1024); // more while the client still reads nothing
    await new Promise((r) => setTimeout(r, 20));
    const pushed = subscription.pushed;

    socket!.resume();
    await waitUntil(() => client.received().includes('event: gap'), 'the gap after the drain', 20_000);
    await new Promise((r) => setTimeout(r, 100));
    const text = client.received();
    const delivered = (text.match(/^event: log$/gm) ?? []).length;
    const gaps = [...text.matchAll(/^event: gap\ndata: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as { missed: number; reason: string });
    // One gap per time the socket filled up (the kernel's buffers take some, then fill again).
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    for (const gap of gaps) expect(gap).toEqual({ missed: expect.any(Number), reason: expect.stringMatching(/read slower than the stream/) });
    // Nothing lost silently: every line pushed was either delivered or counted in a gap.
    expect(delivered + gaps.reduce((sum, gap) => sum + gap.missed, 0)).toBe(pushed);
    expect(delivered).toBeLessThan(pushed);
    // The gap has no id: the client's Last-Event-ID stays its last line.
    expect(text).not.toMatch(/^id: [^\n]*\nevent: gap/m);
  });

  it('writes heartbeat comments, and ends every stream with a last `end` event at shutdown', async () => {
    const port = await serve(20);
    const client = request(port, '/apps/web/logs/stream');
    await waitUntil(() => (client.received().match(/^: keep-alive$/gm) ?? []).length >= 2, 'two heartbeats');
    subscription.push(2, 10);
    await waitUntil(() => (client.received().match(/^event: log$/gm) ?? []).length === 2, 'two lines');
    expect(client.received()).toMatch(/^id: e1-1\nevent: log\ndata: \{"timestamp":"2026-12-03T10:00:00\.000000000Z","container":"web\.1","message":"1 x{10}"\}$/m);
    shutdown!('SIGTERM');
    await waitUntil(() => client.received().includes('event: end'), 'the last event');
    expect(client.received()).toMatch(/event: end\ndata: \{"reason":"the server is shutting down \(SIGTERM\)"\}\n\n\r\n0\r\n\r\n$/);
    expect(subscription.closed).toBe(true);
  });

  it('a bad `lines` is refused with 400 and a JSON body saying what to send; nothing is subscribed', async () => {
    const port = await serve();
    requested = undefined;
    const client = request(port, '/apps/web/logs/stream?lines=-1');
    await waitUntil(() => client.received().includes('}'), 'the refusal');
    expect(client.received()).toMatch(/^HTTP\/1\.1 400/);
    expect(client.received()).toContain('lines must be a whole number');
    expect(requested).toBeUndefined();
  });
});
