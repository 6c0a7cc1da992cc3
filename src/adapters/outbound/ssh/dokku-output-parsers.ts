import type { HostBuild, HostBuildStatus } from '../../../domain/host-build.js';
import { stripAnsi } from '../../../domain/log-line.js';
import type { ProcessStatus } from '../../../ports/dokku-apps.port.js';
import type { PluginInfo } from '../../../ports/dokku-server.port.js';

/**
 * Pure parsers for Dokku's output, JSON forms and the text forms older hosts print (reference: dokku-cli.md).
 * Every text parser strips ANSI colour and CRs first.
 */
const clean = (text: string): string[] => stripAnsi(text).replace(/\r/g, '').split('\n');

/** A report as a flat object of strings, keys as `--format json` names them ("deployed", "app-vhosts", "status-web.1"). */
export type Report = Readonly<Record<string, string>>;

/** "dokku version 0.38.27" → "0.38.27"; undefined when no x.y.z is found (e.g. a "master" build). */
export function parseVersion(text: string): string | undefined {
  return /(\d+)\.(\d+)\.(\d+)/.exec(stripAnsi(text))?.[0];
}

/** Whether `version` is at least `minimum`; an unknown version is treated as too old for optional features. */
export function versionAtLeast(version: string | undefined, minimum: string): boolean {
  if (!version) return false;
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** `apps:list` text: "=====> My Apps" then one name per line. */
export function parseAppsListText(text: string): string[] {
  return clean(text)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('=====>') && !line.startsWith('!'))
    .sort();
}

export function parseJsonStringArray(text: string): string[] {
  const value: unknown = JSON.parse(stripAnsi(text).trim() || '[]');
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error('expected a JSON array of strings');
  return [...value].sort();
}

export function parseReportJson(text: string): Report {
  const value: unknown = JSON.parse(stripAnsi(text).trim());
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v ?? '')]));
}

/**
 * Every section of a text report ("=====> <name> <type> information" then "       Key:<pad>value"), keyed by name.
 * Keys are turned into their JSON names: "Domains app vhosts" → "app-vhosts", "Status web 1" → "status-web.1".
 */
export function parseReportText(text: string): Map<string, Report> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  let type = '';
  for (const line of clean(text)) {
    const header = /^=====> (.+) (\S+) information\s*$/.exec(line);
    if (header) {
      current = {};
      type = header[2]!.toLowerCase();
      sections.set(header[1]!, current);
      continue;
    }
    const field = /^\s+([A-Za-z][^:]*):(?: +(.*))?$/.exec(line);
    if (current && field) current[jsonKey(field[1]!.trim(), type)] = (field[2] ?? '').trim();
  }
  return sections;
}

function jsonKey(label: string, type: string): string {
  const status = /^Status (.+) (\d+)$/.exec(label);
  if (status) return `status-${status[1]}.${status[2]}`;
  const key = label.toLowerCase().replace(/ /g, '-');
  return key.startsWith(`${type}-`) ? key.slice(type.length + 1) : key;
}

/** The first (often only) section of a text report. */
export function firstReport(text: string): Report {
  return parseReportText(text).values().next().value ?? {};
}

/** Containers from ps:report: "status-web.1": "running (CID: 3f1c2a9b8d7)". Sorted by type, then index. */
export function processStatuses(report: Report): ProcessStatus[] {
  const out: ProcessStatus[] = [];
  for (const [key, value] of Object.entries(report)) {
    const match = /^status-(.+)\.(\d+)$/.exec(key);
    if (!match) continue;
    const cid = /\(CID: ([0-9a-f]+)\)/.exec(value)?.[1];
    const status = value.replace(/\s*\(CID:[^)]*\)\s*$/, '').trim() || 'unknown';
    out.push({ type: match[1]!, index: Number(match[2]), status, ...(cid ? { containerId: cid } : {}) });
  }
  return out.sort((a, b) => a.type.localeCompare(b.type) || a.index - b.index);
}

/** `ps:scale <app>` text: "proctype: qty" / "--------: ---" / "web:  1". */
export function parseScaleText(text: string): Record<string, number> {
  const scale: Record<string, number> = {};
  for (const line of clean(text)) {
    const row = /^([A-Za-z0-9][\w-]*):\s+(\d+)\s*$/.exec(line.trim());
    if (row) scale[row[1]!] = Number(row[2]);
  }
  return scale;
}

/** `ps:scale <app> --format json`: [{"process_type":"web","quantity":1}]. */
export function parseScaleJson(text: string): Record<string, number> {
  const rows: unknown = JSON.parse(stripAnsi(text).trim() || '[]');
  if (!Array.isArray(rows)) throw new Error('expected a JSON array');
  return Object.fromEntries(
    rows.map((row: { process_type?: unknown; quantity?: unknown }) => [String(row.process_type), Number(row.quantity)]),
  );
}

/** `config:export --format json`: {"KEY":"value"}. */
export function parseConfigJson(text: string): Record<string, string> {
  return { ...parseReportJson(text) };
}

/**
 * `config:show <app>` text: "=====> app env vars" then "KEY:<2 spaces after the longest KEY:>value". The value starts
 * at that column, so leading spaces of a value survive; a line that is not "KEY:" continues the previous value.
 */
export function parseConfigShow(text: string): Record<string, string> {
  const lines = clean(text).filter((line) => line !== '' && !line.startsWith('=====>'));
  const keyed = lines.map((line) => /^([A-Za-z_][A-Za-z0-9_]*):( +|$)/.exec(line));
  const column = Math.max(0, ...keyed.map((m) => (m ? m[1]!.length + 3 : 0)));
  const vars: Record<string, string> = {};
  let last: string | undefined;
  lines.forEach((line, i) => {
    const match = keyed[i];
    if (match) {
      last = match[1]!;
      vars[last] = line.length > column ? line.slice(column) : line.slice(match[0].length);
    } else if (last) vars[last] += `\n${line}`;
  });
  return vars;
}

/** `plugin:list`: "  00_dokku-standard    0.38.27 enabled    dokku core standard plugin". */
export function parsePluginList(text: string): PluginInfo[] {
  const plugins: PluginInfo[] = [];
  for (const line of clean(text)) {
    const row = /^\s*(\S+)\s+(\S+)\s+(enabled|disabled)\b/.exec(line);
    if (row) plugins.push({ name: row[1]!, version: row[2]!, enabled: row[3] === 'enabled' });
  }
  return plugins;
}

/** Space-separated report values ("a.example.com b.example.com"); empty → []. */
export const words = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter((w) => w !== '');

const HOST_BUILD_STATUSES: readonly HostBuildStatus[] = ['running', 'succeeded', 'failed', 'canceled', 'abandoned'];

/**
 * One record of `builds:list`/`builds:info --format json` (Dokku 0.38: id, app, kind, pid, started_at, finished_at?,
 * status, source, exit_code?, display_status, duration, log_path). `status` is what is on disk; `display_status` adds
 * "abandoned" for a running record whose pid is gone, and is what we report.
 */
export function parseBuildJson(value: unknown): HostBuild {
  if (typeof value !== 'object' || value === null) throw new Error('expected a JSON object for a build');
  const record = value as Record<string, unknown>;
  const id = record.id;
  const app = record.app;
  if (typeof id !== 'string' || typeof app !== 'string') throw new Error('a build needs a string id and app');
  const shown = String(record.display_status ?? record.status ?? '');
  const status = (HOST_BUILD_STATUSES as readonly string[]).includes(shown) ? (shown as HostBuildStatus) : 'failed';
  const startedAt = new Date(String(record.started_at ?? ''));
  if (Number.isNaN(startedAt.getTime())) throw new Error(`build ${id} has no valid started_at`);
  const finished = record.finished_at === undefined || record.finished_at === null ? undefined : new Date(String(record.finished_at));
  return {
    id,
    app,
    kind: record.kind === 'deploy' ? 'deploy' : 'build',
    source: typeof record.source === 'string' && record.source !== '' ? record.source : 'unknown',
    status,
    startedAt,
    ...(finished && !Number.isNaN(finished.getTime()) ? { finishedAt: finished } : {}),
    ...(typeof record.exit_code === 'number' ? { exitCode: record.exit_code } : {}),
  };
}

/** `builds:list [<app>] --format json`: an array of records (newest first as Dokku sorts them; we sort again). */
export function parseBuildsJson(text: string): HostBuild[] {
  const value: unknown = JSON.parse(stripAnsi(text).trim() || '[]');
  if (!Array.isArray(value)) throw new Error('expected a JSON array of builds');
  return value.map(parseBuildJson).sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
}
