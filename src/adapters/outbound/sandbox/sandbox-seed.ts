/** The apps a sandbox host starts with. The default matches the SSH test fixture's, so one contract suite fits both. */

export type SandboxSource =
  | { readonly type: 'git'; readonly repoUrl: string; readonly ref?: string }
  | { readonly type: 'image'; readonly image: string };

export interface SandboxAppSeed {
  readonly name: string;
  readonly deployed?: boolean;
  /** Defaults to `deployed`. */
  readonly running?: boolean;
  readonly source?: SandboxSource;
  /** Process types the app's Procfile declares; defaults to the keys of `scale`, or ["web"] once deployed. */
  readonly processTypes?: readonly string[];
  readonly config?: Readonly<Record<string, string>>;
  /** Defaults to `<name>.<global domain>`, as Dokku adds on apps:create. */
  readonly domains?: readonly string[];
  readonly scale?: Readonly<Record<string, number>>;
  /** How long before the host starts the app was created, and last deployed (so runtime logs have a history). */
  readonly createdAgoMs?: number;
  readonly deployedAgoMs?: number;
}

export const NODE_JS_APP_SEED: SandboxAppSeed = {
  name: 'node-js-app',
  deployed: true,
  source: { type: 'git', repoUrl: 'https://github.com/heroku/node-js-getting-started.git', ref: 'main' },
  processTypes: ['web'],
  // A realistic secret on purpose: it shows up in runtime logs and config:set output, where redaction must hide it.
  config: { DATABASE_URL: 'postgres://app:s3cr3tpw@dokku-postgres-db:5432/app', NODE_ENV: 'production' },
  domains: ['node-js-app.dokku.me'],
  scale: { web: 1 },
};

/** Created, never deployed. */
export const PYTHON_APP_SEED: SandboxAppSeed = { name: 'python-app' };

export const DEFAULT_SANDBOX_SEED: readonly SandboxAppSeed[] = [NODE_JS_APP_SEED, PYTHON_APP_SEED];

/** An optional extra for demos: two process types, three containers. Kept out of the default seed, which must match the SSH fixture for the contract suite. */
export const WORKER_APP_SEED: SandboxAppSeed = {
  name: 'worker-app',
  deployed: true,
  source: { type: 'git', repoUrl: 'https://github.com/example/queue-worker.git', ref: 'main' },
  processTypes: ['web', 'worker'],
  config: { REDIS_URL: 'redis://default:r3d1spw@dokku-redis-queue:6379', QUEUE: 'default' },
  scale: { web: 1, worker: 2 },
};
