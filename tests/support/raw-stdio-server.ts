import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The BUILT server (the Makefile builds before tests), driven by raw JSON-RPC lines written by the test itself. */
export const ROOT = resolve(process.cwd());
export const MAIN = resolve(ROOT, 'dist/main.js');
export const SERVER_ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  DOKKU_MCP_SANDBOX_DEPLOY_STEP_MS: '60',
  DOKKU_MCP_LOG_LEVEL: 'info',
};

export const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

export function requireBuild(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (make test does).`);
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 'init',
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
export const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };

export interface JsonRpcReply {
  jsonrpc: string;
  id?: string | number | null;
  result?: Record<string, any>;
  error?: { code: number; message: string; data?: unknown };
}

/** Is a process with this pid still there (and not a zombie)? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const status = statusOf(pid);
  return status !== undefined && !/^State:\s+Z/m.test(status);
}

function statusOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Resident memory in KiB from /proc, or undefined once the process is gone. */
export function rssKib(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(statusOf(pid) ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Waits until `pid` is gone, sampling its RSS meanwhile; resolves with whether it went and the highest RSS seen. */
export async function watchUntilGone(pid: number, timeoutMs: number): Promise<{ gone: boolean; maxRssKib: number }> {
  let maxRssKib = 0;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return { gone: true, maxRssKib };
    maxRssKib = Math.max(maxRssKib, rssKib(pid) ?? 0);
    await pause(50);
  }
  return { gone: !alive(pid), maxRssKib };
}

/** A server child speaking raw JSON-RPC lines: `send` writes one, `reply(id)` waits for the answer with that id. */
export class RawServer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly replies: JsonRpcReply[] = [];
  readonly exited: Promise<number | null>;
  stdout = '';
  stderr = '';
  private partial = '';

  constructor(extraEnv: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [MAIN, '--sandbox'], { cwd: ROOT, env: { ...SERVER_ENV, ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((done) => this.child.on('exit', (code) => done(code)));
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.stdout += String(chunk);
      this.partial += String(chunk);
      const lines = this.partial.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) if (line !== '') this.replies.push(JSON.parse(line) as JsonRpcReply);
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += String(chunk)));
    this.child.stdin.on('error', () => undefined); // writing to a server that is gone is what some tests do
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(message: object | string): void {
    this.child.stdin.write(typeof message === 'string' ? message : `${JSON.stringify(message)}\n`);
  }

  async reply(id: string | number | null, timeoutMs = 10_000): Promise<JsonRpcReply> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.replies.find((r) => r.id === id && ('result' in r || 'error' in r));
      if (found) return found;
      await pause(10);
    }
    throw new Error(`no reply with id ${JSON.stringify(id)} within ${timeoutMs} ms; stdout so far: ${this.stdout.slice(-500)}`);
  }

  async initialize(): Promise<void> {
    this.send(INITIALIZE);
    await this.reply('init');
    this.send(INITIALIZED);
  }

  callTool(id: number | string, name: string, args: Record<string, unknown> = {}): void {
    this.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
  }

  kill(): void {
    if (alive(this.pid)) this.child.kill('SIGKILL');
  }
}
