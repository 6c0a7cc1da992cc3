import { InvalidArgument } from './domain-errors.js';

/** What a pattern may hold: app-name characters and `*`, starting where an app name may start (or with `*`). */
const PATTERN = /^[a-z0-9*][a-z0-9.*-]*$/;
export const APP_PATTERN_RULE =
  'an exact app name or a glob where only * is special (any run of characters, also none), e.g. "billing" or "shop-*"';

/**
 * The apps a tenant owns, by name: an exact name ("billing") or a glob whose only special character is `*` ("shop-*").
 * A pattern that could match no valid app name (one starting with "-" or ".") is refused, so that "two patterns overlap"
 * below is decided over valid app names exactly.
 */
export class AppPattern {
  private readonly regex: RegExp;

  private constructor(readonly source: string) {
    this.regex = new RegExp(`^${source.split('*').map(escapeRegex).join('.*')}$`);
  }

  static of(raw: string, field = 'pattern'): AppPattern {
    if (typeof raw !== 'string' || raw.length === 0 || raw.length > 200 || !PATTERN.test(raw)) {
      throw new InvalidArgument(field, `${APP_PATTERN_RULE}; got ${JSON.stringify(String(raw).slice(0, 80))}`);
    }
    return new AppPattern(raw);
  }

  matches(appName: string): boolean {
    return this.regex.test(appName);
  }

  /**
   * A valid app name both patterns match, or undefined when there is none.
   *
   * The algorithm: does some string lie in both languages? Walk both patterns at once; state (i, j) means "some string
   * matches p[i..] and q[j..]". Two literals must be equal and both advance. A `*` either matches nothing (advance past
   * it) or its first character is the other side's next literal (the other side advances, the `*` stays). Two `*`s
   * facing each other: one of them matches nothing — if w matches *P and *Q, split w as x·y and u·v at the two stars;
   * when |x| <= |u|, y is matched by P and by *Q (the rest of u, then v), so state (i+1, j) holds; otherwise (i, j+1).
   * Both ends reached at once: a common string exists, built from the literals met on the way. States are memoised:
   * O(|p|·|q|). A common string is a valid app name once it starts with a letter or digit: patterns never start with
   * "-" or "."; when both start with `*` the witness may start anywhere, and prefixing "a" keeps it in both languages.
   */
  overlapWith(other: AppPattern): string | undefined {
    const p = this.source;
    const q = other.source;
    const memo = new Map<number, string | null>();
    const walk = (i: number, j: number): string | null => {
      const key = i * (q.length + 1) + j;
      const known = memo.get(key);
      if (known !== undefined) return known;
      memo.set(key, null); // a cycle cannot happen (every step advances one side), but be safe
      let found: string | null = null;
      if (i === p.length && j === q.length) found = '';
      else if (p[i] === '*' || q[j] === '*') {
        if (p[i] === '*') found = walk(i + 1, j) ?? (j < q.length && q[j] !== '*' ? prefixed(q[j]!, walk(i, j + 1)) : null);
        if (found === null && q[j] === '*') found = walk(i, j + 1) ?? (i < p.length && p[i] !== '*' ? prefixed(p[i]!, walk(i + 1, j)) : null);
      } else if (i < p.length && j < q.length && p[i] === q[j]) {
        found = prefixed(p[i]!, walk(i + 1, j + 1));
      }
      memo.set(key, found);
      return found;
    };
    const witness = walk(0, 0);
    if (witness === null) return undefined;
    return /^[a-z0-9]/.test(witness) ? witness : `a${witness}`;
  }

  toString(): string {
    return this.source;
  }
}

const prefixed = (c: string, rest: string | null): string | null => (rest === null ? null : c + rest);
const escapeRegex = (s: string): string => s.replace(/[.+?^${}()|[\]\\-]/g, '\\$&');
