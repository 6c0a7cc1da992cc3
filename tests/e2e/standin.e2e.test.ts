import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * `make standin` as a person uses it: the compiled scripts/standin.ts starts sshd with the Dokku stand-in and prints a
 * command; the BUILT server, started with exactly what was printed, serves the stand-in's apps; Ctrl-C stops it all.
 */
const run = promisify(execFile);
const ROOT = resolve(process.cwd());
const ENTRY = resolve(ROOT, '.standin-build/scripts/standin.js');
// Generous: only a stand-in that never starts (or never stops) reaches it, and then the test says which.
const WAIT_MS = 30_000;
const { NODE_OPTIONS: _omit, ...USER_ENV } = process.env;

/** The words of a printed shell command: bare words and '…' quoted ones (with '\'' for a quote). */
const shellWords = (line: string): string[] =>
  [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] as string)));

async function until<T>(check: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let standin: ChildProcess | undefined;
afterAll(() => {
  if (standin && standin.exitCode === null && standin.signalCode === null) standin.kill('SIGKILL');
});

describe('make standin', () => {
  it('prints flags that connect the built server to the stand-in over SSH, and stops on Ctrl-C', async () => {
    if (!existsSync(resolve(ROOT, 'dist/main.js'))) throw new Error('dist/main.js is missing: run "make build" first (make test does).');
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.standin.json'], { cwd: ROOT });
    const child = spawn(process.execPath, [ENTRY], { cwd: ROOT, env: USER_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    standin = child;
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += String(d)));
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

    const line = await until(() => {
      if (child.exitCode !== null) throw new Error(`the stand-in exited with ${child.exitCode}: ${stderr}`);
      return /^\s*(DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT=.* node dist\/main\.js .*)$/m.exec(stdout)?.[1];
    }, 'the printed command');
    const [assignment, node, main, ...flags] = shellWords(line);
    expect([node, main]).toEqual(['node', 'dist/main.js']);
    expect(flags).toEqual(['--ssh-host', '127.0.0.1', '--ssh-port', expect.stringMatching(/^\d+$/), '--ssh-user', expect.any(String),
      '--ssh-key', expect.any(String)]);
    const [name, value] = [assignment!.slice(0, assignment!.indexOf('=')), assignment!.slice(assignment!.indexOf('=') + 1)];

    const transport = new StdioClientTransport({
      command: process.execPath, args: [main!, ...flags], cwd: ROOT, stderr: 'pipe',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', [name]: value },
    });
    const client = new Client({ name: 'standin-e2e', version: '1.0.0' });
    try {
      await client.connect(transport);
      const result = (await client.callTool({ name: 'list_apps', arguments: {} })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { apps: string[] }).apps).toEqual(expect.arrayContaining(['node-js-app', 'python-app']));
    } finally {
      await client.close();
    }

    const stateDir = /\(state in (.+)\)\./.exec(stdout)?.[1] as string;
    expect(existsSync(stateDir)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(resolve(stateDir, '..'))).toBe(false); // keys and state deleted
  }, 2 * WAIT_MS);
});
