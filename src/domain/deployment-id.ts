import { AppName } from './app-name.js';
import { BuildId } from './dokku-values.js';
import { InvalidArgument } from './domain-errors.js';

/**
 * The one id scheme every deployment tool and resource takes:
 * - `<app>.<dokku build id>` (e.g. "shop.mbz8k2q41x7c9d"): a build in the host's own record (Dokku 0.38+), found there
 *   with no memory of ours, so it stays valid across restarts of this server; app names hold no "_" and build ids no
 *   ".", so the last "." splits it; every character is URI-safe;
 * - `deploy_<suffix>`: a deployment this server tracks whose host build id is not known (older Dokku), memory only.
 */
export type DeploymentRef =
  | { readonly type: 'local'; readonly id: string }
  | { readonly type: 'host'; readonly id: string; readonly app: AppName; readonly buildId: BuildId };

const LOCAL = /^deploy_[0-9a-z]{10,40}$/;

export const hostDeploymentId = (app: string, buildId: string): string => `${app}.${buildId}`;

export function parseDeploymentRef(raw: unknown): DeploymentRef | undefined {
  if (typeof raw !== 'string') return undefined;
  if (LOCAL.test(raw)) return { type: 'local', id: raw };
  const dot = raw.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const app = raw.slice(0, dot);
  const build = raw.slice(dot + 1);
  if (!AppName.isValid(app) || !BuildId.PATTERN.test(build)) return undefined;
  return { type: 'host', id: raw, app: AppName.of(app), buildId: BuildId.of(build) };
}

/** The ref, or InvalidArgument naming both forms and where to get an id. */
export function deploymentRef(raw: unknown, field = 'deployment_id'): DeploymentRef {
  const ref = parseDeploymentRef(raw);
  if (ref) return ref;
  throw new InvalidArgument(
    field,
    `a deployment id looks like "shop.mbz8k2q41x7c9d" (<app>.<Dokku build id>) or "deploy_01jd3k5x7m2q"; got ${JSON.stringify(String(raw).slice(0, 60))}`,
    'Use the deployment_id returned by deploy_app, or call list_deployments.',
  );
}
