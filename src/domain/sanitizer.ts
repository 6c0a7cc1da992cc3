/**
 * Redacts secrets from text that leaves the process: build logs, runtime log lines, Dokku error messages, config dumps.
 * Dokku echoes secrets freely (config:set prints every value, failed deploys print env), so every outgoing string
 * passes here. The rules keep the surrounding text (key names, URL hosts, auth schemes) so a line stays readable.
 *
 * It runs on every log line, so regexes are compiled once here, quantifiers are kept unambiguous (no catastrophic
 * backtracking), and text that holds none of the trigger substrings returns untouched after one scan.
 * redact(redact(x)) === redact(x): every replacement is stable under the rules that produced it.
 *
 * ANSI escape codes are removed first (a colour code inside "PASS\x1b[0mWORD" or between a key and its ":" hid it),
 * so text with a secret comes back ANSI-free; text with none comes back unchanged (a build log keeps its colours).
 */
import { stripAnsi } from './ansi.js';
import { SubstringSet, type Needle } from './substring-set.js';

export const REDACTED = '[REDACTED]';

/**
 * Must catch everything any rule below can match: text that holds none of these substrings (ASCII letters in either
 * case: the rules' case-blind matching, without the `u` flag, folds nothing else) needs no rule run. It runs on every
 * log line, so it is one pass over the text with no allocation (SubstringSet), not a lower-cased copy and a regex.
 * What a rule needs, to which word: a secret key name (PAIR, DOKKU_CONFIG_LINE, JSON_NAME_VALUE, CLI_LONG_PASSWORD's
 * --password/--token/--secret): pass, pwd, secret, token, key, auth, credential, dsn; URL_PASSWORD, SENTRY_DSN_KEY:
 * "://" or its JSON-escaped ":\/\/"; COOKIE_HEADER: cookie; CLI_SHORT_PASSWORD: a blank then "-p"; BEARER: bearer;
 * AWS_SECRET_NEAR_KEYWORD: secret, akia, asia; KNOWN_TOKENS: their prefixes; PEM: -----begin.
 */
const TRIGGER_NEEDLES: readonly Needle[] = [
  ...['pass', 'pwd', 'secret', 'token', 'key', 'auth', 'credential', 'dsn', 'cookie', 'sentry', 'bearer', '://', ':\\/\\/', ' -p', '\t-p'],
  ...['akia', 'asia', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'sk_', 'rk_', 'xox', 'eyj', 'npm_', 'glpat-', 'aiza', '-----begin'],
].map((text) => ({ text, caseBlind: true }));
const TRIGGERS = new SubstringSet(TRIGGER_NEEDLES);

/**
 * Key names that mark their value as secret. "author" is excluded ("authorization" is not): git/package metadata.
 * "KEY" and "PASS" count only as the last part(s) of a longer name (APP_KEY, RAILS_MASTER_KEY, DB_PASS), so prose
 * ("the key: ...", "pass: 12") and words that merely contain them ("monkey", "compass") stay; names of keys that are
 * public or are not keys at all (PUBLIC_KEY, PUBLISHABLE_KEY, KEY_ID, SSH_KEY_PATH, cache_key, primary_key) stay too.
 * A DSN (Sentry's, a database's) carries its credential.
 */
const KEY_PART =
  String.raw`(?<=[a-z0-9][_-])(?<!(?:public|publishable|primary|foreign|partition|sort|cache|routing|idempotency)[_-])key` +
  String.raw`(?![a-z0-9])(?![_-](?:id|ids|name|path|file|type|size|len|length|count|prefix)(?![a-z0-9]))`;
const SECRET_KEY_WORD =
  String.raw`pass(?:word|wd|phrase)|(?<=[a-z0-9][_-])pass(?![a-z0-9])|pwd|secret|token|api[_-]?key|access[_-]?key|` +
  String.raw`private[_-]?key|${KEY_PART}|(?<![a-z])dsn(?![a-z])|auth(?!or(?!i[sz]))|credential`;
const SECRET_KEY = new RegExp(SECRET_KEY_WORD, 'i');
/** The shell's working directory variables are not passwords, although their name contains "pwd". */
const NOT_SECRET_KEYS = new Set(['PWD', 'OLDPWD']);
export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key) && !NOT_SECRET_KEYS.has(key);

const PEM = /(-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----)([\s\S]*?)(-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|$)/g;

/**
 * scheme://user:password@ — the password run ends at the last "@" before a space or "/" (unencoded "@" in passwords).
 * The lookbehind (not \b) starts a scheme only at the start of its run: "a.b.c..." must not be rescanned from each dot.
 */
const URL_PASSWORD = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:(?:\/\/|\\\/\\\/)[^\s:@/]*:)[^\s/]+@/gi;
// (":\/\/" too: the JSON-escaped form, as in {"DATABASE_URL":"postgres:\/\/u:pw@h\/db"}.)

/** A Sentry DSN, https://<public key>@o1.ingest.sentry.io/2: a user part with no password, but the key is the secret. */
const SENTRY_DSN_KEY = /(?<![a-z0-9+.-])(https?:(?:\/\/|\\\/\\\/))[^\s:@/\\]+(?=(?::[^\s@/\\]*)?@[^\s/@\\]*sentry)/gi;

/**
 * Cookie and Set-Cookie headers (also quoted, or as a JSON field): every cookie's value goes, names stay; of a
 * Set-Cookie only the first pair is a cookie, the rest are attributes (Path, Max-Age...) and stay.
 */
const COOKIE_HEADER = /\b(set-)?(cookie(?:\\?["'])?[ \t]*:[ \t]*(?:\\?["'])?)([^\r\n"'\\]*)/gi;

/**
 * Passwords on command lines: mysql's attached -pPW (after a mysql client's name, or right after -u user), and
 * --password PW (space-separated; --password=PW is a key=value pair). The first lookbehind is cheap and fails almost
 * everywhere, so the bounded second one runs only after a "-p".
 */
const CLI_SHORT_PASSWORD = new RegExp(
  String.raw`(?<=[ \t]-p)(?<=(?:\b(?:mysql\w*|mariadb[\w-]*)\b[^\n]{0,200}|(?<![\w-])-u[ \t]*[^\s-]\S{0,64}?[ \t]+)-p)` +
    String.raw`(?:'[^'\n]*'|"[^"\n]*"|[^\s'"]+)`,
  'g',
);
const CLI_LONG_PASSWORD =
  /(?<![\w-])(--(?:[a-z0-9]+-)*(?:password|passwd|pass|token|secret)[ \t]+)(?!-)('[^'\n]*'|"[^"\n]*"|[^\s'"]+)/gi;

/** A command-line argument redacted, its quotes kept. */
const redactArgument = (value: string): string =>
  /^(["']).*\1$/.test(value) && value.length > 2 ? `${value[0]}${REDACTED}${value[0]}` : REDACTED;

/** Dokku's config:set / config:show format "       KEY:  value": the value is the rest of the line, spaces and all. */
const DOKKU_CONFIG_LINE = /^([ \t]*(?:remote:[ \t]+)?)([A-Za-z_][A-Za-z0-9_]*)(:[ \t]{2,})(\S.*)$/gm;

/** config:export --format json-list: {"name":"DATABASE_PASSWORD","value":"..."} — the key is in a sibling field. */
const JSON_NAME_VALUE = /("name"\s*:\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*,\s*"value"\s*:\s*)"(?:[^"\\]|\\.)*"/g;

/**
 * key=value, key: value, "key": "value", key => value. The key must be followed by "=" or ":" and a value on the same
 * line, so prose ("Password reset email sent") is left alone. A key does not start right after "/", "." or "-", so
 * the user part of https://x-access-token:...@host (handled by URL_PASSWORD) keeps its host.
 * Values: an earlier [REDACTED] (kept as is, for idempotence), \"escaped JSON\", "double" (possibly unterminated),
 * 'single', or a bare run up to a space, quote, &, "," or ";", optionally preceded by an auth scheme word that is kept.
 */
// The key is taken atomically, (?=(run))\1, after a lookahead checks it holds a secret word: a long identifier full of
// secret words is scanned once, not once per word.
// The first lookahead (the run is followed by a separator) is implied by the rest; it comes first because it is cheap
// and fails for almost every word, so the secret-word alternation runs only on the keys of key=value pairs.
const PAIR = new RegExp(
  String.raw`(?<![\w./-])(?=[\w.-]+\\?["']?[ \t]*(?:=>|[:=]))(?=[\w.-]*?(?:${SECRET_KEY_WORD}))(?=([\w.-]+))\1` +
    String.raw`(\\?["']?[ \t]*(?:=>|[:=])[ \t]*)` +
    String.raw`(\[REDACTED\]|\\"[^"\n]*?\\"|"(?:[^"\\\n]|\\.)*"?|'[^'\n]*'?|` +
    String.raw`(?:(?:bearer|basic|digest|token|bot)[ \t]+)?[^\s"'&,;]+)`,
  'gi',
);
const AUTH_SCHEME = /^((?:bearer|basic|digest|token|bot)[ \t]+)\S/i;

/** A bare "Bearer <token>": only when the token looks like one (a digit and 8+ chars, or 20+ chars), not prose. */
const BEARER = /\b(bearer[ \t]+)([A-Za-z0-9._~+/-]+=*)/gi;

/**
 * A 40-char AWS secret next to an AWS key word or an access key id (credentials CSV, "aws_secret_access_key X").
 * Only there: elsewhere 40 such characters may well be a git SHA.
 */
const AWS_SECRET_NEAR_KEYWORD = new RegExp(
  String.raw`(\b(?:aws[_-]?secret(?:[_-]?access)?(?:[_-]?key)?|secret[_-]?access[_-]?key|(?:AKIA|ASIA)[0-9A-Z]{16})` +
    String.raw`[^A-Za-z0-9/+\n]{1,10})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])`,
  'gi',
);

/**
 * Self-identifying credentials: AWS key ids and provider tokens with documented prefixes, and JWTs. The lookbehind
 * (not \b) keeps a run like "-eyJ-eyJ-eyJ..." from being rescanned from every prefix.
 */
const KNOWN_TOKENS = new RegExp(
  String.raw`(?<![A-Za-z0-9_-])(?:` +
  [
    String.raw`(?:AKIA|ASIA)[0-9A-Z]{16}\b`,
    String.raw`gh[pousr]_[A-Za-z0-9]{20,}`,
    String.raw`github_pat_[A-Za-z0-9_]{20,}`,
    String.raw`[sr]k_(?:live|test)_[A-Za-z0-9]{10,}`,
    String.raw`xox[abprs]-[A-Za-z0-9-]{10,}`,
    String.raw`npm_[A-Za-z0-9]{30,}`,
    String.raw`glpat-[A-Za-z0-9_-]{20,}`,
    String.raw`AIza[0-9A-Za-z_-]{35}`,
    String.raw`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`,
  ].join('|') +
    ')',
  'g',
);

function redactPem(_match: string, begin: string, body: string, end: string): string {
  const core = body.trim();
  if (core === '' || core === REDACTED) return `${begin}${body}${end}`;
  const lead = body.slice(0, body.length - body.trimStart().length);
  const trail = body.slice(body.trimEnd().length);
  return `${begin}${lead}${REDACTED}${trail}${end}`;
}

/** Redacts a value, keeping an auth scheme word ("Bearer [REDACTED]"). */
function redactValue(value: string): string {
  const scheme = AUTH_SCHEME.exec(value);
  return scheme ? `${scheme[1]}${REDACTED}` : REDACTED;
}

/**
 * "Cannot parse privateKey: Encrypted private OpenSSH key detected": after a camelCase property name (how libraries
 * name fields in their messages) and ": ", a capitalized word that a lower-case word follows is a sentence, not a
 * value. Upper/snake-case keys (env vars, config) and values with digits or symbols are still redacted.
 */
const PROSE_AFTER_PROPERTY = /^[A-Z][a-z]+$/;
const isProseAfterProperty = (key: string, separator: string, value: string, rest: string): boolean =>
  /[a-z][A-Z]/.test(key) && /^:[ \t]+$/.test(separator) && PROSE_AFTER_PROPERTY.test(value) && /^ [a-z]/.test(rest);

function redactPair(match: string, key: string, separator: string, value: string, offset: number, text: string): string {
  if (NOT_SECRET_KEYS.has(key)) return match;
  if (isProseAfterProperty(key, separator, value, text.slice(offset + match.length, offset + match.length + 2))) return match;
  let redacted: string;
  if (value.startsWith('\\"')) {
    redacted = value.length > 4 ? `\\"${redactValue(value.slice(2, -2))}\\"` : value;
  } else if (value.startsWith('"') || value.startsWith("'")) {
    const quote = value[0];
    const inner = value.length > 1 && value.endsWith(quote) ? value.slice(1, -1) : value.slice(1);
    redacted = inner === '' ? value : `${quote}${redactValue(inner)}${quote}`;
  } else if (value.toUpperCase() === REDACTED) {
    return match;
  } else {
    // After a quoted (JSON) key a bare value is a literal (true, 42) that cannot hold "}" or "]": keep the brackets.
    const brackets = /^\\?["']/.test(separator) ? (value.match(/[}\]]*$/)?.[0] ?? '') : '';
    const core = value.slice(0, value.length - brackets.length);
    redacted = core === '' ? value : `${redactValue(core)}${brackets}`;
  }
  return `${key}${separator}${redacted}`;
}

function redactBearer(match: string, scheme: string, token: string): string {
  const tokenLike = token.length >= 20 || (token.length >= 8 && /\d/.test(token));
  return tokenLike ? `${scheme}${REDACTED}` : match;
}

const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Cookie values of a Cookie/Set-Cookie header value; a quoted value keeps its quotes. */
function redactCookies(_match: string, set: string | undefined, head: string, value: string): string {
  let first = true;
  const pairs = value.replace(/([^;=\s][^;=]*?)(=)([^;]*)|([^;\s][^;]*)/g, (pair, name?: string, eq?: string, cookie?: string) => {
    const isCookie = first || !set;
    first = false;
    if (!isCookie) return pair;
    if (name === undefined) return /^\s*$/.test(pair) ? pair : REDACTED; // a nameless cookie value
    // Not a cookie name (RFC 6265 token): text such as "TOKEN: password=" goes whole, or a later rule would rewrite it
    // into a nameless value and a second pass would not give the same text.
    if (!COOKIE_NAME.test(name)) return REDACTED;
    // Already redacted, and what follows it is no part of a cookie value (a blank ends one): a second pass keeps it, so
    // text after it (that an earlier rule's redaction joined to the header: "password=\\/ #") is not swallowed.
    if (/^\[REDACTED\](?:\s|$)/.test(cookie!)) return pair;
    const trailing = cookie!.match(/\s*$/)?.[0] ?? '';
    return cookie!.trim() === '' ? pair : `${name}${eq}${REDACTED}${trailing}`;
  });
  return `${set ?? ''}${head}${pairs}`;
}

/**
 * Each rule runs only when the text holds what any of its matches must contain (a literal, case-folded where the rule
 * ignores case): most log lines that hold a TRIGGERS needle hold one, so most of the twelve scans are skipped. A
 * replacement only ever takes text away or adds "[REDACTED]", so checking the original text never skips a rule that
 * could match. Not `gated`: every rule runs (the reference that `Sanitizer.unfiltered` tests these checks against).
 */
function redactPatterns(text: string, lower: string, gated: boolean): string {
  const has = (...needles: string[]): boolean => !gated || needles.some((needle) => lower.includes(needle));
  let out = text;
  if (has('-----begin')) out = out.replace(PEM, redactPem);
  // Both URL rules need an "@" (the end of the user part) as well.
  const url = has(':/', ':\\/') && has('@');
  if (url) out = out.replace(URL_PASSWORD, `$1${REDACTED}@`);
  if (url && has('sentry')) out = out.replace(SENTRY_DSN_KEY, `$1${REDACTED}`);
  if (has('cookie')) out = out.replace(COOKIE_HEADER, redactCookies);
  if (has(' -p', '\t-p')) out = out.replace(CLI_SHORT_PASSWORD, redactArgument);
  if (has('--')) out = out.replace(CLI_LONG_PASSWORD, (_match, flag: string, value: string) => `${flag}${redactArgument(value)}`);
  const separator = has(':', '=');
  if (separator) {
    if (!gated || CONFIG_SEPARATOR.test(out)) {
      out = out.replace(DOKKU_CONFIG_LINE, (match, lead: string, key: string, sep: string, value: string) =>
        isSecretKey(key) ? `${lead}${key}${sep}${redactValue(value)}` : match,
      );
    }
    if (has('"name"')) out = out.replace(JSON_NAME_VALUE, (match, head: string, key: string) => (isSecretKey(key) ? `${head}"${REDACTED}"` : match));
    const paired = out.replace(PAIR, redactPair);
    // A pair's redaction can take away what kept a URL's password run from matching ("u:password=\/\"@h": the "/"):
    // once more, so that a second pass finds nothing new.
    out = url && paired !== out ? paired.replace(URL_PASSWORD, `$1${REDACTED}@`) : paired;
  }
  if (has('bearer')) out = out.replace(BEARER, redactBearer);
  if (has('aws', 'secret', 'akia', 'asia')) out = out.replace(AWS_SECRET_NEAR_KEYWORD, `$1${REDACTED}`);
  if (has('akia', 'asia', 'gh', 'github_pat_', 'k_', 'xox', 'npm_', 'glpat-', 'aiza', 'eyj')) out = out.replace(KNOWN_TOKENS, REDACTED);
  return out;
}

/** What DOKKU_CONFIG_LINE needs: ":" then at least two blanks. */
const CONFIG_SEPARATOR = /:[ \t]{2}/;

const escapeRegExp = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/;
/**
 * A line that may be part of a PEM body: base64 of up to 64 characters (RFC 7468; 76 allowed), or a short one with its
 * padding (the last line). A short unpadded last line is let through: a few characters of a key give nothing away,
 * while a lone word ("Listening") at the start of a follow is left alone.
 */
const PEM_BODY_LINE = /^(?:[A-Za-z0-9+/]{16,76}={0,2}|[A-Za-z0-9+/]{1,15}={1,2})$/;
/** A 4096-bit RSA key in PEM is about 50 lines. */
const MAX_KEY_LINES = 200;

function startsInsideKey(lines: readonly string[]): boolean {
  for (const raw of lines.slice(0, MAX_KEY_LINES + 1)) {
    const line = stripAnsi(raw);
    const end = PEM_END.exec(line);
    const begin = PEM_BEGIN.exec(line);
    if (end || begin) return end !== null && (begin === null || end.index < begin.index);
  }
  return false;
}

/** Literal secrets shorter than this are ignored: a value like "1" or "on" would shred ordinary text. */
const MIN_LITERAL_LENGTH = 4;

/**
 * The forms a known value takes when an app prints it inside JSON (once or twice escaped: a JSON log line quoting a
 * JSON body) or in a URL (percent-encoded in either hex case, form-encoded with "+" for spaces, or through encodeURI).
 */
function encodedForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const component = encodeURIComponent(secret);
  const lowerHex = (encoded: string): string => encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
  return [json, JSON.stringify(json).slice(1, -1), component, lowerHex(component), component.replace(/%20/g, '+'), encodeURI(secret), lowerHex(encodeURI(secret))];
}

/** The separators of Dokku's "KEY:  value" lines (the key lines a Sanitizer is given): ":" and two blanks. */
const KEY_LINE_SEPARATORS: readonly Needle[] = [':  ', ': \t', ':\t ', ':\t\t'].map((text) => ({ text }));

/** What stripAnsi looks for first: a text with neither is not changed by it. Secondary: `certainlyClean` looks for them. */
const ESCAPES: readonly Needle[] = [{ text: '\x1b', secondary: true }, { text: '\x9b', secondary: true }];

export class Sanitizer {
  private readonly secrets: readonly string[];
  private readonly literals?: RegExp;
  private readonly keys: readonly string[];
  private readonly keyLines?: RegExp;
  /** What any of this sanitizer's rules, literals and key lines needs in a text to change it; absent: unfiltered. */
  private readonly candidates?: SubstringSet;

  /**
   * `extraSecrets`: literal values known to be secret (e.g. config values just set), replaced wherever they appear.
   * `secretKeys`: config keys whose value Dokku echoes as "       KEY:  value" (config:set): that value is redacted
   * whatever its length, so even a value too short to replace everywhere never shows in such a line.
   * `prefiltered: false` runs every rule on every text (see `unfiltered`).
   */
  constructor(extraSecrets: readonly string[] = [], secretKeys: readonly string[] = [], prefiltered = true) {
    // Longest first, so a secret containing another goes whole. Skipping parts of "[REDACTED]" keeps idempotence.
    this.secrets = [...new Set(extraSecrets)]
      .filter((s) => s.length >= MIN_LITERAL_LENGTH && !REDACTED.includes(s))
      .sort((a, b) => b.length - a.length);
    const forms = [...new Set(this.secrets.flatMap((secret) => [secret, ...encodedForms(secret)]))].sort((a, b) => b.length - a.length);
    if (forms.length > 0) this.literals = new RegExp(forms.map(escapeRegExp).join('|'), 'g');
    this.keys = [...new Set(secretKeys)].filter((key) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key));
    if (this.keys.length > 0) {
      this.keyLines = new RegExp(String.raw`^([ \t]*(?:remote:[ \t]+)?)(${this.keys.join('|')})(:[ \t]{2,})(\S.*)$`, 'gm');
    }
    if (prefiltered) {
      this.candidates = new SubstringSet([...TRIGGER_NEEDLES, ...forms.map((text) => ({ text })), ...(this.keyLines ? KEY_LINE_SEPARATORS : []), ...ESCAPES]);
    }
  }

  /**
   * The same redaction with no prefilter at all: every rule runs on every text, whatever it holds. Slow; the reference
   * the prefilters (SubstringSet, the per-rule checks in redactPatterns) are tested against: they must never differ.
   */
  static unfiltered(extraSecrets: readonly string[] = [], secretKeys: readonly string[] = []): Sanitizer {
    return new Sanitizer(extraSecrets, secretKeys, false);
  }

  /**
   * Text with nothing to redact comes back as it was, colours and all; text with a secret comes back ANSI-free. An
   * escape sequence can carry text of its own (an OSC 8 hyperlink's URL; an OSC left open swallows the rest of the
   * line): when that hidden text holds a secret, the text comes back without its escape sequences, hidden text and all.
   */
  redact(text: string): string {
    return this.certainlyClean(text) ? text : this.redactFully(text);
  }

  /** `redact` past its first check. */
  private redactFully(text: string): string {
    const plain = stripAnsi(text);
    const redacted = this.redactPlain(plain);
    if (redacted !== plain || plain === text) return redacted === plain ? text : redacted;
    return this.hidesSecret(text) ? plain : text;
  }

  /**
   * No escape sequence and nothing any rule, literal or key line needs: `redact` would return the text as it is. One
   * pass over the text, which is all most log lines cost.
   */
  private certainlyClean(text: string): boolean {
    return this.candidates !== undefined && !this.candidates.foundIn(text, true);
  }

  private redactPlain(plain: string): string {
    let known = this.literals ? plain.replace(this.literals, REDACTED) : plain;
    if (this.keyLines) known = known.replace(this.keyLines, `$1$2$3${REDACTED}`);
    if (this.candidates && !TRIGGERS.foundIn(known)) return known;
    return redactPatterns(known, known.toLowerCase(), this.candidates !== undefined);
  }

  /** Would the text, read with its escape sequences left in, have something redacted? */
  private hidesSecret(text: string): boolean {
    if (this.candidates && !this.candidates.foundIn(text)) return false;
    return this.redactPlain(text) !== text;
  }

  /**
   * A redactor for text that arrives one line at a time (build logs, runtime logs). A PEM private key spans lines, so
   * `redact` on each line alone would let the base64 body through: this one remembers an open BEGIN and redacts the
   * lines up to the END whole (at most MAX_KEY_LINES, so a stray BEGIN cannot blank the rest of a log).
   */
  lineByLine(options: { insideKey?: boolean; joinedMidway?: boolean } = {}): ((line: string) => string) & { skips(block: string): boolean } {
    let keyLinesLeft = options.insideKey ? MAX_KEY_LINES : 0;
    // Joined a source midway (a live follower starts wherever the app's output is): its first lines may be the rest of
    // a key whose BEGIN came before. Until a line that cannot be a key's body, base64-only lines are taken for one.
    let maybeInKey = options.joinedMidway === true && keyLinesLeft === 0;
    let midwayLinesLeft = MAX_KEY_LINES; // no longer than a key can be
    // A block of whole lines with nothing any rule needs anywhere, outside a key, needs nothing redacted: one scan
    // instead of one per line. Both forms: escape sequences can carry text that stripping drops.
    const skips = (raw: string): boolean => {
      if (maybeInKey || keyLinesLeft > 0 || !this.candidates) return false;
      const block = stripAnsi(raw);
      return !this.candidates.foundIn(block) && (block === raw || !this.candidates.foundIn(raw));
    };
    const redactLine = (raw: string): string => {
      if (maybeInKey) {
        const line = stripAnsi(raw).trim();
        if (PEM_BODY_LINE.test(line) && midwayLinesLeft-- > 0) return REDACTED;
        maybeInKey = false;
        const end = PEM_END.exec(line);
        if (end) return this.redact(REDACTED + line.slice(end.index));
      }
      // Outside a key, a line with no BEGIN (a candidate) and nothing to redact: as `redact` would, returned as it is.
      if (keyLinesLeft === 0 && this.certainlyClean(raw)) return raw;
      const line = stripAnsi(raw);
      if (keyLinesLeft > 0) {
        const end = PEM_END.exec(line);
        if (end) {
          keyLinesLeft = 0;
          return this.redact(REDACTED + line.slice(end.index));
        }
        keyLinesLeft--;
        return REDACTED;
      }
      if (PEM_BEGIN.test(line) && !PEM_END.test(line)) keyLinesLeft = MAX_KEY_LINES;
      // Not redactPlain(line) alone: an escape sequence can hide text that stripping drops (redact checks for that).
      return this.redactFully(raw);
    };
    return Object.assign(redactLine, { skips });
  }

  /**
   * Redacts consecutive lines of one source (one container's log, oldest first) like `lineByLine`, and also when they
   * start inside a private key, as a window cut from the end of a longer log may: when the first key marker among
   * them is an END (no more than MAX_KEY_LINES in), the lines before it are the key's body and are redacted.
   */
  redactLines(lines: readonly string[]): string[] {
    const redact = this.lineByLine({ insideKey: startsInsideKey(lines) });
    return lines.map((line) => redact(line));
  }

  /** A sanitizer that also redacts `values`; this one is unchanged. */
  withSecrets(values: readonly string[]): Sanitizer {
    return new Sanitizer([...this.secrets, ...values], this.keys, this.candidates !== undefined);
  }

  /** A sanitizer that also redacts the values Dokku echoes for these config keys; this one is unchanged. */
  withSecretKeys(keys: readonly string[]): Sanitizer {
    return new Sanitizer(this.secrets, [...this.keys, ...keys], this.candidates !== undefined);
  }
}
