import type { SandboxApp, SandboxContainer } from './sandbox-dokku-host.js';
import { pick } from './sandbox-hash.js';

/**
 * Runtime log lines of simulated containers, exactly as `dokku logs <app> --num N` prints them:
 *   "\x1b[36m2026-04-30T13:50:01.123456789Z app[web.1]:\x1b[0m GET / 200 512 - 3.120 ms"
 * Each container writes a few startup lines, then one line about every `intervalMs`. Line k of a container has a
 * fixed time and text (derived from the container id and k), so new lines appear as the clock moves and old ones
 * never change.
 */

/** Dokku's colour cycle, by the container's position in the listing. */
const COLORS = [36, 33, 32, 35, 31] as const;
const STARTUP_LINES = 4;
const STARTUP_GAP_MS = 5;
/** Shown when the app has no DATABASE_URL, so the startup line still carries a secret for the sanitizer to hide. */
export const DEFAULT_DATABASE_URL = 'postgres://app:s3cr3tpw@dokku-postgres-db:5432/app';

export interface RecentQuery {
  readonly linesPerContainer: number;
  readonly processType?: string;
}

/** The newest `linesPerContainer` lines of each container (of one process type if given), containers concatenated. */
export function recentRuntimeLines(app: SandboxApp, query: RecentQuery, now: number, intervalMs: number): string[] {
  const wanted = Math.max(0, Math.floor(query.linesPerContainer));
  // Like Dokku's glob CONTAINER.<type>.*: colours follow the position among the containers listed.
  const containers = app.containers.filter((c) => query.processType === undefined || c.type === query.processType);
  const out: string[] = [];
  containers.forEach((container, position) => {
    const count = linesWritten(container, now, intervalMs);
    for (let k = Math.max(0, count - wanted); k < count; k++) out.push(runtimeLine(app, container, position, k, intervalMs));
  });
  return out;
}

/** How many lines the container has written by `now` (none after it stopped). */
export function linesWritten(container: SandboxContainer, now: number, intervalMs: number): number {
  return lineCount(container, Math.min(now, container.stoppedAt ?? now), intervalMs);
}

/** Line k of a container, as Dokku prints it; `position` is the container's place in the listing (its colour). */
export function runtimeLine(app: SandboxApp, container: SandboxContainer, position: number, k: number, intervalMs: number): string {
  const color = COLORS[position % COLORS.length];
  const time = timestamp(container, k, lineTime(container, k, intervalMs));
  return `\x1b[${color}m${time} app[${container.type}.${container.index}]:\x1b[0m ${message(app, container, k)}`;
}

/** When line k of the container was written (epoch ms). */
export function runtimeLineTime(container: SandboxContainer, k: number, intervalMs: number): number {
  return lineTime(container, k, intervalMs);
}

/** What a container printed while it started; the deploy transcript shows the same lines. */
export function startupLines(app: SandboxApp, container: Pick<SandboxContainer, 'type' | 'id'>): string[] {
  return Array.from({ length: STARTUP_LINES }, (_, k) => message(app, container, k));
}

/** Steady line n (1-based) falls in [start + n*interval, start + n*interval + interval/2): strictly increasing. */
function lineTime(c: SandboxContainer, k: number, interval: number): number {
  if (k < STARTUP_LINES) return c.startedAt + k * STARTUP_GAP_MS;
  const n = k - STARTUP_LINES + 1;
  return c.startedAt + n * interval + pick(`${c.id}:${k}:t`, Math.floor(interval / 2));
}

/** How many lines the container has written by `end`. */
function lineCount(c: SandboxContainer, end: number, interval: number): number {
  const span = end - c.startedAt;
  if (span < 0) return 0;
  if (span < interval) return Math.min(STARTUP_LINES, Math.floor(span / STARTUP_GAP_MS) + 1);
  const count = STARTUP_LINES + Math.floor(span / interval);
  return lineTime(c, count - 1, interval) > end ? count - 1 : count;
}

/** RFC 3339 with nanoseconds, as `docker logs -t` prints. */
function timestamp(c: SandboxContainer, k: number, time: number): string {
  const fraction = String(pick(`${c.id}:${k}:ns`, 1_000_000)).padStart(6, '0');
  return `${new Date(time).toISOString().slice(0, 23)}${fraction}Z`;
}

const PATHS = ['/', '/', '/cool', '/times', '/db', '/api/items', '/api/items/42', '/static/main.css', '/healthz'];
const JOBS = ['send_welcome_email', 'resize_avatar', 'sync_invoices', 'purge_sessions'];

function message(app: SandboxApp, c: Pick<SandboxContainer, 'type' | 'id'>, k: number): string {
  const db = app.config.get('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  const seed = `${c.id}:${k}`;
  if (c.type === 'web') {
    const startup = ['> node-js-getting-started@0.3.0 start', '> node index.js', `Connecting to ${db}`, 'Listening on 5000'];
    if (k < STARTUP_LINES) return startup[k] as string;
    // Pools recycle idle connections: the secret-bearing URL recurs, so redaction stays visible in any window.
    if (k % 40 === 0) return `Connecting to ${db}`;
    const roll = pick(`${seed}:r`, 100);
    const path = roll < 3 ? '/favicon.ico' : (PATHS[pick(`${seed}:p`, PATHS.length)] as string);
    const method = path.startsWith('/api/items') && roll % 4 === 0 ? 'POST' : 'GET';
    const status = path === '/favicon.ico' ? 404 : roll > 97 ? 500 : roll > 90 ? 304 : method === 'POST' ? 201 : 200;
    const ms = (pick(`${seed}:ms`, 40_000) / 1000 + 0.4).toFixed(3);
    return `${method} ${path} ${status} ${status === 304 ? '-' : 200 + pick(`${seed}:b`, 9000)} - ${ms} ms`;
  }
  const startup = [`Starting ${c.type} process`, `Connecting to ${db}`, 'Connected to queue "default"', 'Waiting for jobs (concurrency 5)'];
  if (k < STARTUP_LINES) return startup[k] as string;
  const job = 1000 + Math.floor(k / 2);
  const name = JOBS[pick(`${c.id}:${job}:j`, JOBS.length)] as string;
  return k % 2 === 0 ? `Processing job ${job} (${name})` : `Job ${job} done in ${20 + pick(`${seed}:d`, 900)}ms`;
}
