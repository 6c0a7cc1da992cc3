import { isSecretKey } from './sanitizer.js';

/**
 * Which of an app's config values to redact as literals wherever they appear in that app's output (its logs, build
 * output, Dokku's errors): the surest secrets there are, but a value such as "production" or "5000" would shred
 * ordinary text. So:
 * - a value of a secret-named key (DATABASE_PASSWORD, APP_KEY...) counts from 4 characters (the Sanitizer's floor);
 * - any other value from 8 characters, unless it is a single plain word or number under 16 characters ("production",
 *   "herokuish", "12345678"), or it belongs to a key Dokku or the platform manages (DOKKU_*, GIT_REV, PORT, NODE_ENV...);
 * - each line of a multi-line value, trimmed, by the same rule: Dokku echoes such a value one trimmed line at a time;
 * - of a URL with a password (DATABASE_URL), the password alone, so "postgres://app:[REDACTED]@db:5432/app" keeps
 *   the host that a reader of the log needs.
 */
const SECRET_NAMED_MIN = 4;
const OTHER_MIN = 8;
const PLAIN_WORD_BELOW = 16;
const PLAIN_WORD = /^(?:[A-Za-z]+|\d+)$/;
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s/]+)@[^\s@/]+(?:[/?#]\S*)?$/i;
const MANAGED_KEYS = /^(?:DOKKU_\w*|GIT_REV|PORT|NODE_ENV|RAILS_ENV|RACK_ENV|APP_ENV|PYTHONUNBUFFERED|TZ|LANG|LC_ALL|PATH|WEB_CONCURRENCY|LOG_LEVEL|BUILDPACK_URL)$/;

export function configLiterals(vars: Readonly<Record<string, string>>): string[] {
  const literals = new Set<string>();
  for (const [key, value] of Object.entries(vars)) {
    const secretNamed = isSecretKey(key);
    if (!secretNamed && MANAGED_KEYS.test(key)) continue;
    const password = URL_PASSWORD.exec(value.trim())?.[1];
    if (password !== undefined) {
      if (password.length >= SECRET_NAMED_MIN) literals.add(password);
      continue;
    }
    const candidates = [value, value.trim(), ...(value.includes('\n') ? value.split(/\r?\n/).map((line) => line.trim()) : [])];
    for (const candidate of candidates) {
      if (secretNamed ? candidate.length >= SECRET_NAMED_MIN : ordinaryValueCounts(candidate)) literals.add(candidate);
    }
  }
  return [...literals];
}

function ordinaryValueCounts(value: string): boolean {
  if (value.length < OTHER_MIN) return false;
  return !(value.length < PLAIN_WORD_BELOW && PLAIN_WORD.test(value));
}
