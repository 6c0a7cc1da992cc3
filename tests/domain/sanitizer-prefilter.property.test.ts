/**
 * The sanitizer's prefilters never change what it returns (fast-check): most log lines are returned after one
 * SubstringSet pass, and each rule runs only where its trigger is; `Sanitizer.unfiltered` runs every rule on every
 * text, and both must agree on every entry point, for any text: secrets, trigger words in any case, escape sequences,
 * astral and lone-surrogate code units, key lines, PEM blocks across lines. SubstringSet itself is checked against a
 * plain includes over the ASCII-lower-cased text, also on texts long enough to be scanned in pieces.
 */
import fc from 'fast-check';
import { Sanitizer } from '../../src/domain/sanitizer.js';
import { SubstringSet, type Needle } from '../../src/domain/substring-set.js';
import { FORMATTED_SECRETS, ORDINARY_TEXT } from '../support/secret-forms.js';

const RUNS = { numRuns: 400 };

/** Letters of a word in random case: "bEaReR". */
const anyCase = (word: string) =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) =>
    [...word].map((ch, k) => (upper[k] ? ch.toUpperCase() : ch)).join(''),
  );

/** What the rules and the prefilters look for, and what sits next to it in real logs. */
const TRIGGERS = [
  'password=', 'passwd: ', 'pwd=', 'DB_PASS=', 'secret', 'token=', 'API_KEY=', 'app-key: ', 'auth:', 'Authorization: ', 'credentials=',
  'dsn=', 'Cookie: ', 'Set-Cookie: ', 'sentry', 'Bearer ', 'https://u:', '@db/x', 'postgres:\\/\\/u:', 'AKIA', 'ASIA', 'ghp_', 'gho_',
  'github_pat_', 'sk_live_', 'rk_test_', 'xoxb-', 'eyJ', 'npm_', 'glpat-', 'AIza', '-----BEGIN RSA PRIVATE KEY-----',
  '-----END RSA PRIVATE KEY-----', 'mysql -u root -p', ' -p', '\t-p', '--password ', '--token=', 'aws_secret_access_key ',
  '"name":"DATABASE_PASSWORD","value":"', '       DATABASE_PASSWORD:  ', 'remote:   X:  ', ':  ', '=>', '"secret":"', '\\"',
];
const ESCAPES = ['\x1b[31m', '\x1b[0m', '\x1b]8;;', '\x1b\\', '\x07', '\x9b1m', '\x1b(B', '\x1b'];
const ODD = ['\uD83D', '\uDE80', '🚀', 'é', 'K', 'İ', 'ſ', '\u00a0', '\u2028', '\r', '\n', '\t', '\0'];

/** Runs of token characters: what follows a prefix in a credential. */
const run = (chars: string, min: number, max: number) => fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max });
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const word = (w: string) => fc.oneof(fc.constant(w), anyCase(w));
/** One match of each rule, the trigger in any case, alone: nothing else in the text would send it to the rules. */
const ruleMatch = fc.oneof(
  fc.tuple(word('bearer'), fc.constantFrom(' ', '\t'), run(ALNUM, 8, 30)).map((p) => p.join('')),
  fc.tuple(word('aws_secret_access_key'), fc.constantFrom(' ', ',', ' = '), run(`${ALNUM}/+`, 40, 40)).map((p) => p.join('')),
  fc.tuple(word('akia'), run('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16, 16), fc.constantFrom(' ', ','), run(`${ALNUM}/+`, 40, 40)).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('AKIA', 'ASIA'), run('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16, 16)).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'glpat-', 'npm_'), run(ALNUM, 30, 36)).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('sk_live_', 'rk_test_', 'xoxb-', 'xoxp-'), run(ALNUM, 10, 20)).map((p) => p.join('')),
  fc.tuple(fc.constant('AIza'), run(ALNUM, 35, 35)).map((p) => p.join('')),
  fc.tuple(fc.constant('eyJ'), run(ALNUM, 8, 12), fc.constant('.'), run(ALNUM, 8, 12), fc.constant('.'), run(ALNUM, 0, 8)).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('mysql -u root -p', 'mariadb -p', 'psql -u app -p', 'x -u me\t-p'), run(ALNUM, 1, 10)).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('--'), word('password'), fc.constant(' '), run(ALNUM, 1, 10)).map((p) => p.join('')),
  fc.tuple(word('-----begin'), fc.constant(' RSA PRIVATE KEY-----\nMIIE'), run(ALNUM, 0, 10)).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('https', 'redis', 'x+y.z-1'), fc.constantFrom('://', ':\\/\\/'), run(ALNUM, 0, 5), fc.constant(':'), run(ALNUM, 1, 8), fc.constant('@h')).map((p) => p.join('')),
  fc.tuple(fc.constant('https://'), run(ALNUM, 8, 16), fc.constant('@o1.ingest.'), word('sentry'), fc.constant('.io/2')).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('', 'set-'), word('cookie'), fc.constantFrom(': ', '":"', ':\t'), run(ALNUM, 1, 5), fc.constant('='), run(ALNUM, 1, 8)).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('', 'DB_', 'x.', 'app-', 'API'), fc.constantFrom('pass', 'password', 'passwd', 'passphrase', 'pwd', 'secret', 'token', 'key', '_key', 'apikey', 'access_key', 'private-key', 'dsn', 'auth', 'authorization', 'credential').chain(word),
    fc.constantFrom('=', ': ', '=>', '":"', "'='", ' = '), run(ALNUM, 1, 10)).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('       ', 'remote:   ', ''), fc.constantFrom('DATABASE_PASSWORD', 'API_TOKEN', 'X', 'SECRET_KEY'), fc.constantFrom(':  ', ':\t\t', ': \t  '), run(ALNUM, 1, 10)).map((p) => p.join('')),
  fc.tuple(fc.constant('{"name":"'), fc.constantFrom('DATABASE_PASSWORD', 'APP_KEY', 'X'), fc.constant('","value":"'), run(ALNUM, 1, 10), fc.constant('"}')).map((p) => p.join('')),
);
const ordinary = fc.constantFrom('', ' ', 'GET /health 200 1 ms', 'Listening on 5000', 'x86_64 kube-probe/1.29', '\x1b[32m', 'é', '🚀', ' - ', 'a:b', 'q=1', 'Mozilla/5.0');

const part = fc.oneof(
  fc.tuple(ordinary, ruleMatch, ordinary).map((p) => p.join(' ')),
  ruleMatch,
  fc.constantFrom(...TRIGGERS).chain(anyCase),
  fc.constantFrom(...TRIGGERS),
  fc.constantFrom(...ESCAPES, ...ODD, ...ORDINARY_TEXT, ...FORMATTED_SECRETS.map(([input]) => input)),
  fc.stringMatching(/^[A-Za-z0-9+/=_-]{8,44}$/),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
);
const text = fc.array(part, { maxLength: 14 }).map((parts) => parts.join(''));
const secrets = fc.array(fc.oneof(fc.string({ unit: 'binary', minLength: 4, maxLength: 14 }), fc.constantFrom('hunter2xyz', 'pr0d-key-9f2c', 'a  a', '+aa!')), { maxLength: 3 });
const keys = fc.constantFrom([], ['DATABASE_PASSWORD'], ['X', 'API_TOKEN']);

describe('Sanitizer prefilters: the same output as every rule on every text', () => {
  it('redact, on a single rule match in ordinary text (a skipped trigger shows here)', () => {
    fc.assert(
      fc.property(fc.tuple(ordinary, ruleMatch, ordinary).map((p) => p.join(' ')), secrets, keys, (t, known, secretKeys) => {
        expect(new Sanitizer(known, secretKeys).redact(t)).toBe(Sanitizer.unfiltered(known, secretKeys).redact(t));
      }),
      { numRuns: 1500 },
    );
  });

  it('redact', () => {
    fc.assert(
      fc.property(text, secrets, keys, (t, known, secretKeys) => {
        expect(new Sanitizer(known, secretKeys).redact(t)).toBe(Sanitizer.unfiltered(known, secretKeys).redact(t));
      }),
      RUNS,
    );
  });

  it('lineByLine over a run of lines (PEM blocks included), and skips() only where every line would come back as it was', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 8 }), secrets, keys, fc.boolean(), (lines, known, secretKeys, insideKey) => {
        const fast = new Sanitizer(known, secretKeys).lineByLine({ insideKey });
        const reference = Sanitizer.unfiltered(known, secretKeys).lineByLine({ insideKey });
        const block = lines.join('\n');
        if (fast.skips(block)) {
          const every = Sanitizer.unfiltered(known, secretKeys).lineByLine({ insideKey });
          for (const line of block.split('\n')) expect(every(line)).toBe(line);
        }
        for (const line of lines) expect(fast(line)).toBe(reference(line));
      }),
      RUNS,
    );
  });

  it('redactLines (a window that may start inside a key)', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 8 }), secrets, (lines, known) => {
        expect(new Sanitizer(known).redactLines(lines)).toEqual(Sanitizer.unfiltered(known).redactLines(lines));
      }),
      RUNS,
    );
  });

  it('the realistic lines of the benchmark, with and without secrets, in any case', () => {
    const line = fc.tuple(
      fc.constantFrom('GET /api/orders 200 12.3 ms - 42 "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"', 'kube-probe/1.29',
        'slow query (1.2s): SELECT * FROM orders WHERE user_id = $1', 'GET /api/search?q=blue+shoes 200'),
      fc.constantFrom('Connecting to postgres://app:hunter2@db:5432/app', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
        'STRIPE_SECRET_KEY=sk_live_51Habcdefghijklmnop', 'aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY00', '').chain(anyCase),
      fc.nat(120),
    ).map(([a, b, at]) => `${a.slice(0, at)}${b}${a.slice(at)}`);
    fc.assert(
      fc.property(line, (l) => {
        expect(new Sanitizer(['pr0duction-api-key-9f2c']).lineByLine()(l)).toBe(Sanitizer.unfiltered(['pr0duction-api-key-9f2c']).lineByLine()(l));
      }),
      RUNS,
    );
  });
});

/** The reference: includes, on the text with ASCII upper case lowered for case-blind needles. */
const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
const naive = (needles: readonly Needle[], t: string): boolean =>
  needles.some((n) => (n.caseBlind ? asciiLower(t).includes(n.text) : t.includes(n.text)));

describe('SubstringSet', () => {
  const needleText = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }),
    fc.constantFrom('key', ' -p', '\x1b', '\x9b', 'é', 'ab', '\x1b[3', ':\\/\\/', 'github_pat_', '🚀', '\uD83D', '\uD83Dab', 'ab\uDE80'),
  );
  const needle = fc.tuple(needleText, fc.boolean(), fc.boolean()).map(([t, blind, secondary]): Needle => {
    const ascii = /^[\x00-\x7f]*$/.test(t);
    return { ...(blind && ascii ? { text: asciiLower(t), caseBlind: true } : { text: t }), ...(secondary ? { secondary } : {}) };
  });
  const primary = (needles: readonly Needle[]) => needles.filter((n) => !n.secondary);

  it('finds a needle exactly when the text holds it, wherever (odd or even offset, start, end, in any case)', () => {
    fc.assert(
      fc.property(fc.array(needle, { minLength: 1, maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }),
        fc.nat(), fc.boolean(), (needles, before, after, pick, insert) => {
          const chosen = needles[pick % needles.length] as Needle;
          const t = insert ? `${before}${chosen.caseBlind ? chosen.text.toUpperCase() : chosen.text}${after}` : `${before}${after}`;
          const set = new SubstringSet(needles);
          expect(set.foundIn(t, true)).toBe(naive(needles, t));
          expect(set.foundIn(t)).toBe(naive(primary(needles), t));
        }),
      { numRuns: 1000 },
    );
  });

  it('in a text long enough to be scanned in pieces: a needle across any piece boundary is found', () => {
    fc.assert(
      fc.property(needle, fc.integer({ min: 8000, max: 30000 }), fc.constantFrom('a', 'é', '🚀', ' '), (n, at, filler) => {
        const set = new SubstringSet([n]);
        const pad = filler.repeat(Math.ceil(at / filler.length));
        const t = `${pad}${n.text}${pad}`;
        expect(set.foundIn(t, true)).toBe(true);
        expect(set.foundIn(`${pad}${pad}`, true)).toBe(naive([n], `${pad}${pad}`));
      }),
      { numRuns: 60 },
    );
  });

  it('refuses needles it cannot look for', () => {
    expect(() => new SubstringSet([{ text: '' }])).toThrow(/never empty/);
    expect(() => new SubstringSet([{ text: 'Key', caseBlind: true }])).toThrow(/lower case/);
  });
});
