import type { LogLine } from './log-line.js';
import type { RuntimeLogItem, StreamMarker } from './runtime-log-item.js';

/**
 * Runtime log lines as text for an agent to read, spending few tokens: per line the UTC time to the millisecond, the
 * process and the message, e.g. `13:50:01.123 web.1 Listening on :5000` (13 bytes of time, the process and two
 * spaces: at most 24 bytes beyond the message for processes up to `worker.10`, where Dokku spends about 52). The date
 * comes once, on its own line, before the first line and whenever the day changes: `--- 2026-04-30 UTC ---`.
 * Markers read `--- gap: 12 lines missed (reason) ---`. The structured entries keep the full timestamps.
 */
const DATE_LINE = (day: string): string => `--- ${day} UTC ---`;
const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Day and millisecond time of a Docker timestamp, in UTC; undefined when it is not one. */
function split(timestamp: string): { day: string; time: string } | undefined {
  const match = ISO.exec(timestamp);
  if (!match) return undefined;
  const [, day, clock, fraction = '', offset] = match as unknown as [string, string, string, string | undefined, string];
  const millis = (fraction + '000').slice(0, 3);
  if (offset === 'Z' || offset === '+00:00' || offset === '-00:00') return { day, time: `${clock}.${millis}` };
  const at = Date.parse(`${day}T${clock}.${millis}${offset}`);
  if (Number.isNaN(at)) return undefined;
  const iso = new Date(at).toISOString();
  return { day: iso.slice(0, 10), time: iso.slice(11, 23) };
}

export function markerText(marker: StreamMarker): string {
  if (marker.type === 'end') return `--- end: ${marker.reason} ---`;
  const missed = marker.missed === null ? 'lines may be missing' : `${marker.missed} line${marker.missed === 1 ? '' : 's'} missed`;
  return marker.type === 'gap' ? `--- gap: ${missed} (${marker.reason}) ---` : `--- restarted: ${missed} (${marker.reason}) ---`;
}

/** A formatter that remembers the day of the last line it wrote, so text written in batches repeats no date. */
export class LogTextWriter {
  private day?: string;

  /** The items as text, one per line, each line ending in "\n" (empty for no items). */
  write(items: readonly RuntimeLogItem[]): string {
    let out = '';
    for (const item of items) out += `${item.type === 'line' ? this.line(item.line) : markerText(item)}\n`;
    return out;
  }

  writeLines(lines: readonly LogLine[]): string {
    let out = '';
    for (const line of lines) out += `${this.line(line)}\n`;
    return out;
  }

  private line(line: LogLine): string {
    const parts = line.timestamp === undefined ? undefined : split(line.timestamp);
    let prefix = '';
    if (parts) {
      if (parts.day !== this.day) {
        this.day = parts.day;
        prefix = `${DATE_LINE(parts.day)}\n`;
      }
      prefix += `${parts.time} `;
    } else if (line.timestamp !== undefined) {
      prefix = `${line.timestamp} `;
    }
    if (line.process !== undefined && line.process !== '') prefix += `${line.process} `;
    return prefix + line.message;
  }
}

export const LogText = {
  /** Lines as compact text (see above), "\n" after each. */
  ofLines(lines: readonly LogLine[]): string {
    return new LogTextWriter().writeLines(lines);
  },
  /** Lines and markers as compact text, "\n" after each. */
  of(items: readonly RuntimeLogItem[]): string {
    return new LogTextWriter().write(items);
  },
};
