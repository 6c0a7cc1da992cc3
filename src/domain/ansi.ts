/** ANSI escape sequences, as Dokku and build tools print them even without a TTY. */

// CSI (ESC[ or the 8-bit 0x9B) with parameters/intermediates/final byte; OSC (ESC] ... BEL or ESC\, or cut short by
// the next escape, a line break or the end of a truncated line); charset designations (ESC( B); and the remaining
// two-byte escapes (ESC=, ESCM ...).
const ANSI = new RegExp(
  [
    String.raw`\x1b\][^\x07\x1b\r\n]*(?:\x07|\x1b\\|(?=[\x1b\r\n])|$)`,
    String.raw`(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]`,
    String.raw`\x1b[()#][0-9A-Za-z]`,
    String.raw`\x1b[@-Z\\-_=>]`,
  ].join('|'),
  'g',
);

export function stripAnsi(text: string): string {
  if (!text.includes('\x1b') && !text.includes('\x9b')) return text;
  return text.replace(ANSI, '');
}
