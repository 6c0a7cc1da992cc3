import base from './jest.config.js';

/**
 * Suites that need a real sshd (the fixture), a real redis-server (its fixture), a built dist/ or npm: `make test` runs
 * them, `make unit` does not. A new suite joins them by its name: `*.sshd.test.ts`, `*.redis.test.ts`, or a file under
 * tests/e2e/ (tests/architecture/unit-suites.test.ts checks that every suite starting sshd, Redis or the built server is
 * named so).
 */
export const NEEDS_SSHD_OR_BUILD = ['\\.sshd\\.test\\.ts$', '\\.redis\\.test\\.ts$', '/tests/e2e/', '/tests/contract/ssh\\.', '/tests/fixtures/'];

/** `make unit`: every other suite (domain, application, config, the adapters' in-memory and stdio-free tests...). */
export default { ...base, testPathIgnorePatterns: ['/node_modules/', ...NEEDS_SSHD_OR_BUILD] };
