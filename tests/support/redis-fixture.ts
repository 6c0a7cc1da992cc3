/**
 * A real redis-server on loopback, started by a test on a free port with its own config file and data directory
 * (like the sshd fixture). Persistence is off: a restarted server starts empty, as a Redis without persistence does.
 * stop() and start() take it down and bring it back on the same port, for fault tests; dispose() ends it for good.
 * Needs redis-server (scripts/ensure-redis.sh installs it; `make test` runs that).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const REDIS_SERVER = 'redis-server';

export interface RedisFixture {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  readonly dir: string;
  /** Whether the server is up now. */
  running(): boolean;
  /** Takes the server down (SIGTERM; SIGKILL after 2 s). Idempotent. */
  stop(): Promise<void>;
  /** Brings it back on the same port (empty). Idempotent. */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered — a hung Redis. */
  pause(): void;
  /** Thaws it (SIGCONT). */
  resume(): void;
  /** One command over a fresh connection (RESP), for assertions: e.g. command('KEYS', 'prefix*'). */
  command(...args: string[]): Promise<unknown>;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function redisConfig(dir: string, port: number): string {
  return [
    `port ${port}`, 'bind 127.0.0.1', 'protected-mode yes', `dir ${dir}`, `pidfile ${dir}/redis.pid`,
    'daemonize no', 'save ""', 'appendonly no', 'loglevel warning', 'logfile ""', 'databases 1',
    // Small enough for a test, large enough for anything it stores.
    'maxmemory 64mb', 'maxmemory-policy noeviction',
    '',
  ].join('\n');
}

/** A minimal RESP exchange: sends one command, reads one reply (simple, error, integer, bulk, or an array of those). */
function command(port: number, args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    socket.once('error', reject);
    socket.on('connect', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const parsed = parse(buffer, 0);
      if (parsed === undefined) return;
      socket.destroy();
      if (parsed.value instanceof Error) reject(parsed.value);
      else resolve(parsed.value);
    });
  });
}

function parse(buffer: Buffer, at: number): { value: unknown; next: number } | undefined {
  const end = buffer.indexOf('\r\n', at);
  if (end < 0) return undefined;
  const type = String.fromCharCode(buffer[at]!);
  const line = buffer.toString('utf8', at + 1, end);
  if (type === '+') return { value: line, next: end + 2 };
  if (type === '-') return { value: new Error(line), next: end + 2 };
  if (type === ':') return { value: Number(line), next: end + 2 };
  if (type === '$') {
    const length = Number(line);
    if (length < 0) return { value: null, next: end + 2 };
    if (buffer.length < end + 2 + length + 2) return undefined;
    return { value: buffer.toString('utf8', end + 2, end + 2 + length), next: end + 2 + length + 2 };
  }
  if (type === '*') {
    const count = Number(line);
    if (count < 0) return { value: null, next: end + 2 };
    const items: unknown[] = [];
    let next = end + 2;
    for (let i = 0; i < count; i++) {
      const item = parse(buffer, next);
      if (item === undefined) return undefined;
      items.push(item.value);
      next = item.next;
    }
    return { value: items, next };
  }
  throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
}

async function launch(configPath: string, port: number): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, [configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  const keep = (d: Buffer) => { output = (output + d.toString()).slice(-8192); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', () => { exited = true; });
  child.once('error', (e) => { output += String(e); exited = true; });
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !exited) {
    if (await command(port, ['PING']).then((r) => r === 'PONG', () => false)) return child;
    await delay(20);
  }
  try { child.kill('SIGKILL'); } catch { /* gone */ }
  const hint = /ENOENT/.test(output) ? ' (is redis-server installed? make test runs scripts/ensure-redis.sh)' : '';
  throw Object.assign(new Error(`redis-server did not start on port ${port}${hint}: ${output.trim() || 'timeout'}`), { output });
}

export async function startRedis(): Promise<RedisFixture> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'dokku-mcp-redis-'));
  const configPath = path.join(dir, 'redis.conf');
  let child: ChildProcess | undefined;
  let port = 0;
  try {
    for (let attempt = 1; !child; attempt++) {
      port = await freePort();
      fs.writeFileSync(configPath, redisConfig(dir, port));
      try {
        child = await launch(configPath, port);
      } catch (e) {
        // Another process may take the port between our probe and redis-server's bind: try another one.
        if (attempt >= 5 || !/Address already in use/i.test((e as { output?: string }).output ?? '')) throw e;
      }
    }
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let server: ChildProcess | undefined = child;
  const isRunning = () => server !== undefined && server.exitCode === null && server.signalCode === null;
  const stop = async () => {
    const current = server;
    server = undefined;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    current.kill('SIGCONT'); // a paused server would not act on SIGTERM
    const exited = new Promise((r) => current.once('exit', r));
    current.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 2000); })]);
    clearTimeout(timer);
    if (current.exitCode === null && current.signalCode === null) { current.kill('SIGKILL'); await exited; }
    current.stdout?.destroy();
    current.stderr?.destroy();
  };
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    running: isRunning,
    stop,
    async start() {
      if (isRunning()) return;
      server = await launch(configPath, port);
    },
    pause: () => { server?.kill('SIGSTOP'); },
    resume: () => { server?.kill('SIGCONT'); },
    command: (...args) => command(port, args),
    async dispose() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
