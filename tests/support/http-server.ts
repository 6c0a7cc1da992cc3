import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import { MAIN, ROOT } from './raw-stdio-server.js';
import { waitUntil } from './wait-for.js';

/** The BUILT server in HTTP mode, started by a test: `--transport http --port 0`, the URL read from its banner. */
export interface HttpServer {
  /** The Streamable HTTP endpoint the banner printed, e.g. http://127.0.0.1:41234/mcp. */
  readonly url: string;
  /** e.g. http://127.0.0.1:41234 */
  readonly base: string;
  readonly port: number;
  readonly child: ChildProcessWithoutNullStreams;
  stderr(): string;
  /** SIGTERM, then the exit code (the server closes its sessions first). */
  stop(): Promise<number | null>;
}

const BASE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOKKU_MCP_LOG_LEVEL: 'info' };
const URL_LINE = /Speaking MCP over HTTP at (http:\/\/\S+\/mcp)/;

/** Runs the built server with `args`, waits for its banner, and returns where it listens. */
export async function startHttpServer(args: string[] = ['--sandbox'], env: Record<string, string> = {}): Promise<HttpServer> {
  const child = spawn(process.execPath, [MAIN, '--transport', 'http', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...BASE_ENV, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let exitCode: number | null | undefined;
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  child.stdout.on('data', () => undefined);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => {
    exitCode = code;
    done(code);
  }));
  await waitUntil(() => URL_LINE.test(stderr) || exitCode !== undefined, 'the HTTP banner');
  const match = URL_LINE.exec(stderr);
  if (!match) throw new Error(`the server exited (${String(exitCode)}) without serving HTTP:\n${stderr}`);
  const url = match[1]!;
  return {
    url,
    base: url.replace(/\/mcp$/, ''),
    port: Number(new URL(url).port),
    child,
    stderr: () => stderr,
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs the built server to its exit (for start-up refusals): exit code and stderr. */
export function runToExit(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: { ...BASE_ENV, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.stdout.on('data', () => undefined);
    child.on('exit', (code) => done({ code, stderr }));
  });
}

export interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The body as JSON (a JSON-RPC error body), or undefined when it is not JSON. */
  json(): any;
}

/** One HTTP request with exactly these headers (Host included: fetch would not let a test set it). */
export function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawReply> {
  const target = new URL(base);
  return new Promise((done, fail) => {
    const req = request({ host: target.hostname, port: target.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => done({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: text,
        json: () => {
          try {
            return JSON.parse(text);
          } catch {
            return undefined;
          }
        },
      }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

export const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

export const initializeBody = (name = 'raw'): string =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name, version: '1' } } });

/** Opens a session with a raw initialize POST (no GET stream); returns its id. */
export async function rawSession(base: string): Promise<string> {
  const reply = await raw(base, 'POST', '/mcp', JSON_HEADERS, initializeBody());
  const id = reply.headers['mcp-session-id'];
  if (reply.status !== 200 || typeof id !== 'string') throw new Error(`initialize failed: ${reply.status} ${reply.body}`);
  return id;
}

/** The Authorization header of a bearer token. */
export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

/** One JSON-RPC request as a POST body. */
export const rpcBody = (id: number, method: string, params: Record<string, unknown> = {}): string => JSON.stringify({ jsonrpc: '2.0', id, method, params });
