import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * The package as a user gets it: `npm pack` in a copy of the source tree without dist/ (as a fresh clone has it, so
 * `prepack` must build), then `npm install <tarball>` into an empty project, then the installed `dokku-mcp` bin driven
 * by the SDK's Client over stdio. The copy keeps the build away from this checkout's dist/, which other suites run.
 */
const run = promisify(execFile);
const ROOT = path.resolve(process.cwd());
// Generous caps for npm and tsc on a loaded 2-core machine; only a broken package or registry ever reaches them.
const PACK_TIMEOUT_MS = 120_000;
const INSTALL_TIMEOUT_MS = 180_000;
// Not the test runner's --experimental-vm-modules: npm, tsc and the server run as a user would run them.
const { NODE_OPTIONS: _omit, ...USER_ENV } = process.env;

interface PackResult { filename: string; files: Array<{ path: string }> }

let work: string;
let tarball: string;
let packedFiles: string[];

async function copySourceTree(to: string): Promise<void> {
  // What a clone holds (plus files not committed yet, so a developer tests their change): no dist/, no node_modules/.
  const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, maxBuffer: 64 << 20 });
  for (const file of stdout.split('\0').filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)))) {
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(to, file));
  }
  // The clone's own `npm ci` would produce the same tree; linking it saves the download.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(to, 'node_modules'), 'dir');
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'dokku-mcp-package-'));
  const clone = path.join(work, 'clone');
  const out = path.join(work, 'out');
  fs.mkdirSync(clone);
  fs.mkdirSync(out);
  await copySourceTree(clone);
  expect(fs.existsSync(path.join(clone, 'dist'))).toBe(false);
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], {
    cwd: clone, env: USER_ENV, timeout: PACK_TIMEOUT_MS, maxBuffer: 64 << 20,
  });
  // The prepack build may print before npm's JSON; the JSON is the last thing on stdout.
  const [packed] = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as PackResult[];
  tarball = path.join(out, packed!.filename);
  packedFiles = packed!.files.map((f) => f.path).sort();
}, PACK_TIMEOUT_MS + 10_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('is built by prepack and ships dist, config, README and LICENSE, and nothing else', () => {
    expect(fs.existsSync(tarball)).toBe(true);
    expect(packedFiles).toEqual(expect.arrayContaining([
      'LICENSE', 'README.md', 'package.json', 'config/default.yaml', 'config/example.yaml', 'dist/main.js', 'dist/container.js',
    ]));
    const outside = packedFiles.filter((f) => !/^(dist\/.+\.js|config\/[^/]+\.yaml|LICENSE|README\.md|package\.json)$/.test(f));
    expect(outside).toEqual([]); // no source maps pointing at src/ that is not shipped, no tests, no sources
  });

  it('installs from the tarball into an empty project, and its bin serves the sandbox over stdio', async () => {
    const project = path.join(work, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'tries-dokku-mcp', private: true })}\n`);
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
      cwd: project, env: USER_ENV, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 << 20,
    });

    const bin = path.join(project, 'node_modules', '.bin', 'dokku-mcp');
    const transport = new StdioClientTransport({
      command: bin, args: ['--sandbox'], cwd: project, stderr: 'pipe',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? project },
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    const client = new Client({ name: 'package-e2e', version: '1.0.0' });
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['list_apps', 'deploy_app', 'get_runtime_logs']));
      const result = (await client.callTool({ name: 'list_apps', arguments: {} })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { apps: string[] }).apps).toContain('node-js-app');
      expect(stderr).toContain('SANDBOX MODE');
    } finally {
      await client.close();
    }
  }, INSTALL_TIMEOUT_MS + 30_000);
});
