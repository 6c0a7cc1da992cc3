import { DEFAULT_SANDBOX_SEED, type SandboxAppSeed } from '../../../src/adapters/outbound/sandbox/sandbox-seed.js';

/** Sandbox seeds: the default two apps plus the extras a test needs. */
export const SandboxAppSeedMother = {
  defaults(): SandboxAppSeed[] {
    return [...DEFAULT_SANDBOX_SEED];
  },

  /** A deployed app with two web containers, running for an hour: plenty of runtime log lines in each. */
  twoWebContainers(name = 'two-web-app', config: Record<string, string> = {}): SandboxAppSeed {
    return {
      name,
      deployed: true,
      source: { type: 'git', repoUrl: 'https://github.com/heroku/node-js-getting-started.git', ref: 'main' },
      processTypes: ['web'],
      config,
      scale: { web: 2 },
      deployedAgoMs: 3_600_000,
    };
  },

  /** web=1 and worker=2, like the demo's worker-app. */
  withWorkers(name = 'queue-app'): SandboxAppSeed {
    return {
      name,
      deployed: true,
      source: { type: 'git', repoUrl: 'https://github.com/example/queue-worker.git', ref: 'main' },
      processTypes: ['web', 'worker'],
      scale: { web: 1, worker: 2 },
      deployedAgoMs: 3_600_000,
    };
  },
};
