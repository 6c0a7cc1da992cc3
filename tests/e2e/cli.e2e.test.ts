import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built server's command line: what it prints where, and how it exits, before any protocol runs. */
const ROOT = resolve(process.cwd());
const MAIN = resolve(ROOT, 'dist/main.js');
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [MAIN, ...args], { cwd: ROOT, env: { ...ENV, ...env }, timeout: 20_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** Starts the server on stdio, waits until its stderr holds `until`, stops it, and returns what it wrote there. */
function stderrUntil(args: string[], until: RegExp, options: { cwd: string; env?: Record<string, string> }): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: options.cwd, env: { ...ENV, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`no ${until} on stderr within 10 s: ${stderr}`));
    }, 10_000);
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
      if (!until.test(stderr)) return;
      clearTimeout(timer);
      child.once('exit', () => done(stderr));
      child.stdin.end();
    });
  });
}

let dir: string;
beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (make test does).`);
  dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the command line', () => {
  it('prints --help on stdout and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^dokku-mcp \d+\.\d+\.\d+: an MCP server/);
    expect(result.stdout).toContain('--ssh-host-key-fingerprint SHA256:...');
    expect(result.stdout).toContain('--ssh-known-hosts FILE');
    expect(result.stdout).toContain('--check');
    expect(result.stderr).toBe('');
  });

  it('prints --version on stdout and exits 0', async () => {
    const result = await run(['--version']);
    expect(result).toEqual({ code: 0, stdout: expect.stringMatching(/^dokku-mcp \d+\.\d+\.\d+\n$/), stderr: '' });
  });

  it('says "--help" once for an unknown flag, and exits 2', async () => {
    const result = await run(['--sandbx']);
    expect(result.code).toBe(2);
    expect(result.stderr.match(/--help for the options|See --help/g)).toEqual(['--help for the options']);
  });

  it("repeats the server's own flags and an absolute --config in the banner's connect line", async () => {
    writeFileSync(join(dir, 'my config.yaml'), 'log:\n  level: debug\n');
    const stderr = await stderrUntil(['--sandbox', '--config', 'my config.yaml', '--read-only'], /ready: /, {
      cwd: dir,
      env: { DOKKU_MCP_LOGS_RUNTIME_MAX_LINES: '500' },
    });
    const line = /Connect a client by giving it the command: (.*)/.exec(stderr)?.[1];
    expect(line).toBe(
      `${process.execPath} ${MAIN} --sandbox --config '${join(dir, 'my config.yaml')}' --read-only ` +
        '(with the environment variables DOKKU_MCP_LOGS_RUNTIME_MAX_LINES set as here)',
    );
    expect(stderr).toContain('dokku-mcp: ready: the simulated Dokku host');
  });

  it('warns on stderr about an unknown DOKKU_MCP_ variable, naming the nearest known one, and still starts', async () => {
    const stderr = await stderrUntil(['--sandbox'], /ready: /, { cwd: ROOT, env: { DOKKU_MCP_SSH_KEY_PASSPHRASE_EN: 'X' } });
    expect(stderr).toContain(
      'dokku-mcp: warning: the environment variable DOKKU_MCP_SSH_KEY_PASSPHRASE_EN is not one dokku-mcp reads; it is ignored. Did you mean DOKKU_MCP_SSH_KEY_PASSPHRASE_ENV?',
    );
  });
});
