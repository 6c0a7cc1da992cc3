/** The last line matching `pattern`, trimmed of Dokku's " !     " marker. */
export function findLine(text: string, pattern: RegExp): string | undefined {
  const lines = text.split('\n').filter((line) => pattern.test(line));
  const last = lines[lines.length - 1];
  return last?.replace(/^\s*!\s+/, '').trim();
}

/** Dokku's last " !     …" line: what it said went wrong. */
export const lastFailureLine = (text: string): string | undefined => findLine(text, /^\s*!\s+\S/);
