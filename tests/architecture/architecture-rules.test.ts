import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(process.cwd());
const CRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** Runs the project's rules on a throw-away tree holding the given files; returns the exit code and report. */
async function cruise(files: Record<string, string>): Promise<{ code: number; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-arch-'));
  try {
    cpSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    cpSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    cpSync(join(ROOT, 'tsconfig.build.json'), join(dir, 'tsconfig.build.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    try {
      const { stdout } = await run(process.execPath, [CRUISE, '--config', '.dependency-cruiser.cjs', 'src'], { cwd: dir });
      return { code: 0, out: stdout };
    } catch (e) {
      const err = e as { code: number; stdout: string };
      return { code: err.code, out: err.stdout };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ok = { 'src/domain/a.ts': 'export const a = 1;\n', 'src/ports/p.port.ts': "import { a } from '../domain/a.js';\nexport const p = a;\n" };

describe('architecture rules (dependency-cruiser, run by make arch)', () => {
  it('passes a tree that keeps the arrows', async () => {
    const { code } = await cruise(ok);
    expect(code).toBe(0);
  });

  it.each([
    ['domain-is-pure', 'src/domain/bad.ts', "import { randomUUID } from 'node:crypto';\nexport const b = randomUUID;\n"],
    ['domain-is-pure', 'src/domain/bad.ts', "import { p } from '../ports/p.port.js';\nexport const b = p;\n"],
    ['application-behind-ports', 'src/application/bad.use-case.ts', "import winston from 'winston';\nexport const b = winston;\n"],
    ['application-behind-ports', 'src/application/bad.use-case.ts', "import { x } from '../adapters/outbound/x.adapter.js';\nexport const b = x;\n"],
    ['mcp-sdk-only-in-mcp-adapter', 'src/adapters/outbound/ssh/bad.ts', "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const b = McpServer;\n"],
    ['express-only-in-http-adapter', 'src/adapters/inbound/mcp/transports/bad.ts', "import express from 'express';\nexport const b = express;\n"],
    ['node-ssh-only-in-ssh-adapter', 'src/adapters/outbound/sandbox/bad.ts', "import { NodeSSH } from 'node-ssh';\nexport const b = NodeSSH;\n"],
    ['redis-client-only-in-redis-adapter', 'src/adapters/outbound/memory/bad.ts', "import { createClient } from '@redis/client';\nexport const b = createClient;\n"],
  ])('fails on %s (%s)', async (rule, path, text) => {
    const { code, out } = await cruise({ ...ok, 'src/adapters/outbound/x.adapter.ts': 'export const x = 1;\n', [path]: text });
    expect(code).not.toBe(0);
    expect(out).toContain(rule);
  });
});
