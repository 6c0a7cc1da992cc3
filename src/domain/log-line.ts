/**
 * One runtime log line as Dokku prints it (`dokku logs`, scheduler-docker-local):
 *   "\x1b[36m2026-04-30T13:50:01.123456789Z app[web.1]:\x1b[0m Listening on :5000"
 * Dokku colours the prefix even without a TTY (cycling 36,33,32,35,31 per container), writes the literal word `app`
 * (very old versions wrote the app name), and with `-q` prints raw container lines with no prefix at all.
 */

import { stripAnsi } from './ansi.js';

export { stripAnsi };

export interface LogLine {
  /** RFC 3339 timestamp exactly as Docker gave it (normally 9 fractional digits and `Z`). */
  readonly timestamp?: string;
  /** Process and instance, e.g. `web.1`, `worker.2`. */
  readonly process?: string;
  readonly message: string;
}

const TIMESTAMP = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})`;
// <timestamp> <source>[<proc>]:<space?><message>. The source is `app` or (legacy) an app name; the bracket content
// cannot contain `]`, so a message holding "]: " itself never moves the split point.
const PREFIXED = new RegExp(String.raw`^(${TIMESTAMP}) [A-Za-z0-9][\w.-]*\[([^\]\s]+)\]: ?([\s\S]*)$`);

export const LogLine = {
  parse(raw: string): LogLine {
    const text = stripAnsi(raw).replace(/[\r\n]+$/, ''); // lines read under a pty end in CRLF
    const match = PREFIXED.exec(text);
    if (!match) return { message: text };
    return { timestamp: match[1], process: match[2], message: match[3] };
  },

  /** Compact one-line form: "<timestamp> <process>: <message>", dropping whatever part is missing. */
  format(line: LogLine): string {
    const prefix = [line.timestamp, line.process].filter((part) => part !== undefined && part !== '').join(' ');
    return prefix === '' ? line.message : `${prefix}: ${line.message}`;
  },
};

const TIMESTAMP_PARTS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A key that sorts lexicographically in time order: UTC seconds plus the fraction padded to 9 digits
 * (".5" and ".123456789" compare wrongly as raw strings).
 */
function sortKey(timestamp: string): string {
  const match = TIMESTAMP_PARTS.exec(timestamp);
  if (!match) return timestamp;
  const [, seconds, fraction = '', offset] = match;
  let utc = seconds;
  if (offset !== 'Z' && offset !== '+00:00' && offset !== '-00:00') {
    const millis = Date.parse(`${seconds}${offset}`);
    if (Number.isNaN(millis)) return timestamp;
    utc = new Date(millis).toISOString().slice(0, 19);
  }
  return `${utc}.${fraction.padEnd(9, '0')}`;
}

/**
 * Orders lines by timestamp, to merge several containers' output (Dokku concatenates or interleaves them).
 * A line without a timestamp compares equal to everything, so a stable sort keeps it where it was.
 */
export function compareLogLines(a: LogLine, b: LogLine): number {
  if (!a.timestamp || !b.timestamp) return 0;
  const left = sortKey(a.timestamp);
  const right = sortKey(b.timestamp);
  return left < right ? -1 : left > right ? 1 : 0;
}
