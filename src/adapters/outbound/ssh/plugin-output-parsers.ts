/**
 * Parsers for the plugins' output (datastore services, letsencrypt, ssh-keys), read from their code:
 * - `<type>:list` prints "=====> Postgres services" then one name per line (older versions: a NAME/VERSION/… table);
 * - `<type>:info` prints "=====> <name> <type> service information" then "       <Key>:<pad> <value>" (printf %-20s),
 *   a missing value as "-";
 * - `letsencrypt:report` prints "=====> <app> letsencrypt information" then "       Letsencrypt <key>:<pad> <value>";
 * - `ssh-keys:list` prints "<fingerprint> NAME=\"<name>\" SSHCOMMAND_ALLOWED_KEYS=\"…\"" (or JSON with --format json).
 */
import { stripAnsi } from '../../../domain/log-line.js';
import type { SshKeyEntry } from '../../../ports/dokku-ssh-keys.port.js';

const lines = (text: string): string[] => stripAnsi(text).replace(/\r/g, '').split('\n');

/** Names from `<type>:list`, sorted. */
export function parseServiceList(text: string): string[] {
  const rows = lines(text).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('=====>') && !line.startsWith('-----> '));
  // Plugins before 2021 printed a table: its first column is the name.
  const table = rows[0]?.startsWith('NAME ') ?? false;
  return (table ? rows.slice(1).map((row) => row.split(/\s+/)[0]!) : rows).sort();
}

/** "Key: value" rows of a report-like block, keyed by the key in lower case with dashes ("exposed-ports"). */
export function parseKeyValueBlock(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of lines(text)) {
    const match = /^\s+([A-Za-z][A-Za-z0-9 ]*?):(?:\s+(.*?))?\s*$/.exec(line);
    if (match) fields[match[1]!.toLowerCase().replace(/ /g, '-')] ??= match[2] ?? '';
  }
  return fields;
}

/** A "-" (the plugins' "none") or empty value as [], else its space-separated words. */
export const wordsOrNone = (value: string | undefined): string[] => (value === undefined || value.trim() === '-' ? [] : value.split(/\s+/).filter(Boolean));

/** `ssh-keys:list` text: one key per line. */
export function parseSshKeysText(text: string): SshKeyEntry[] {
  const keys: SshKeyEntry[] = [];
  for (const line of lines(text)) {
    const match = /^(\S+)\s+NAME=\\?"?([^"\\\s]+)\\?"?/.exec(line.trim());
    if (match) keys.push({ fingerprint: match[1]!, name: match[2]! });
  }
  return keys;
}

/** `ssh-keys:list --format json` (sshcommand's own JSON: [{ "fingerprint": …, "name": …, … }]). */
export function parseSshKeysJson(text: string): SshKeyEntry[] {
  const parsed: unknown = JSON.parse(text.trim() === '' ? '[]' : text);
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array');
  return parsed.map((entry: unknown) => {
    const { fingerprint, name } = (entry ?? {}) as { fingerprint?: unknown; name?: unknown };
    if (typeof fingerprint !== 'string' || typeof name !== 'string') throw new Error('expected fingerprint and name strings');
    return { fingerprint, name };
  });
}
