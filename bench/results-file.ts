/**
 * bench/RESULTS.md as three writers share it: a full `make bench` (every row, the file rewritten), a partial one
 * (`make bench BENCH_ONLY=…`: its rows and notes replace those of the same name, the others stay as they were) and
 * `make soak` (its own section at the end, which the other two carry over untouched).
 */
import fs from 'node:fs';
import os from 'node:os';
import { mb } from './stats.js';

export const SOAK_HEADING = '## Soak (`make soak`)';

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.type()} ${os.release()} ${os.arch()}, ${os.cpus().length} × ${cpu}, ${mb(os.totalmem())} RAM, Node ${process.version}`;
}

const read = (file: string): string => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

/** The file split at the soak section: what comes before it, and the section itself ('' when there is none). */
function split(text: string): { bench: string; soak: string } {
  const at = text.indexOf(`\n${SOAK_HEADING}`);
  return at < 0 ? { bench: text, soak: '' } : { bench: text.slice(0, at + 1), soak: text.slice(at + 1) };
}

/** The soak section of `file` as it stands, for a full `make bench` to keep beside its new figures. */
export function soakSectionOf(file: string): string {
  return split(read(file)).soak;
}

const tableRow = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const firstCell = (line: string): string => line.split(' | ')[0]!.replace(/^\| /, '');
/** A note is known by what comes before its first ": " ("Where list_apps time goes: …"), its figures aside. */
const noteKey = (line: string): string => line.replace(/^- /, '').split(': ')[0]!.replace(/\d+(?:[.,]\d+)*/g, '#');

/**
 * `text` (a RESULTS.md) with `rows` and `notes` merged in: a row replaces the row with the same measure (first cell),
 * else joins the end of the table; a note replaces the note with the same key, else joins the end of the notes.
 */
export function mergeRows(text: string, rows: readonly string[][], notes: readonly string[]): string {
  const { bench, soak } = split(text);
  const lines = bench.replace(/\n+$/, '').split('\n');
  for (const cells of rows) {
    const at = lines.findIndex((l) => l.startsWith('| ') && firstCell(l) === cells[0]);
    if (at >= 0) lines[at] = tableRow(cells);
    else {
      let last = -1;
      lines.forEach((l, i) => void (l.startsWith('| ') && (last = i)));
      lines.splice(last + 1, 0, tableRow(cells));
    }
  }
  for (const note of notes) {
    const at = lines.findIndex((l) => l.startsWith('- ') && noteKey(l) === noteKey(note));
    if (at >= 0) lines[at] = `- ${note}`;
    else lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n${soak ? `\n${soak}` : ''}`;
}

/** Writes the soak section (one table row and its notes) at the end of `file`, replacing the one before. */
export function writeSoakSection(file: string, row: readonly string[], notes: readonly string[], command: string): void {
  const { bench } = split(read(file));
  const head = ['measure', 'n / state', 'RSS', 'V8 heap', 'trend', 'target', 'machine load (same phase)'];
  const section = [
    SOAK_HEADING,
    '',
    `Measured by \`${command}\` on ${new Date().toISOString()} — ${machine()}. The machine was shared with whatever else ran there; the last column says how busy it was over the whole soak.`,
    '',
    tableRow(head),
    tableRow(head.map(() => '---')),
    tableRow(row),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  fs.writeFileSync(file, `${bench.replace(/\n+$/, '')}\n\n${section}`);
}
