import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { NEEDS_SSHD_OR_BUILD } from '../../jest.unit.config.js';

/**
 * `make unit` must run without sshd and without a build: it leaves out suites by name (jest.unit.config.js). This keeps
 * the names honest, so a new suite that starts the sshd fixture or the built server cannot slip into `make unit`.
 */
const ROOT = resolve(process.cwd());
const NEEDS_SSHD = /\bstartSshd\b|\bstartRedis\b/;
const NEEDS_BUILD = /dist\/main\.js|raw-stdio-server|\bnpm['"], \[['"]pack/;

function suites(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return suites(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}
const leftOutOfUnit = (path: string) => NEEDS_SSHD_OR_BUILD.some((pattern) => new RegExp(pattern).test(path));
const SELF = join(ROOT, 'tests/architecture/unit-suites.test.ts'); // its patterns would match themselves
const all = suites(join(ROOT, 'tests')).filter((path) => path !== SELF);

describe('make unit', () => {
  it('leaves out every suite that starts sshd or Redis, or runs the built server', () => {
    const misnamed = all
      .filter((path) => NEEDS_SSHD.test(readFileSync(path, 'utf8')) || NEEDS_BUILD.test(readFileSync(path, 'utf8')))
      .filter((path) => !leftOutOfUnit(path))
      .map((path) => relative(ROOT, path));
    expect(misnamed).toEqual([]); // name it *.sshd.test.ts (*.redis.test.ts for Redis), or move it under tests/e2e/
  });

  it('runs the adapters\' and config suites that need neither', () => {
    const unit = all.filter((path) => !leftOutOfUnit(path)).map((path) => relative(ROOT, path));
    expect(unit).toEqual(expect.arrayContaining([
      'tests/config/load-config.test.ts',
      'tests/adapters/outbound/ssh/host-key.test.ts',
      'tests/adapters/outbound/ssh/dokku-command.test.ts',
      'tests/adapters/inbound/mcp/destructive-confirmation.test.ts',
      'tests/adapters/inbound/mcp/tools-list.test.ts',
      'tests/domain/sanitizer.test.ts',
      'tests/application/deployments/deploy-app.use-case.test.ts',
    ]));
  });
});
