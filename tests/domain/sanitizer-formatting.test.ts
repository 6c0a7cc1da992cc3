import { Sanitizer } from '../../src/domain/sanitizer.js';
import { FORMATTED_SECRETS, ORDINARY_TEXT } from '../support/secret-forms.js';

const ESC = '\x1b';

describe('Sanitizer: secrets behind formatting and less common names (issue 14)', () => {
  const sanitizer = new Sanitizer();

  test.each(FORMATTED_SECRETS)('redacts %j', (input, expected) => {
    expect(sanitizer.redact(input)).toBe(expected);
  });

  test.each(ORDINARY_TEXT)('leaves %j alone', (input) => {
    expect(sanitizer.redact(input)).toBe(input);
  });

  test.each([...FORMATTED_SECRETS.map(([input]) => input), ...ORDINARY_TEXT])('is idempotent on %j', (input) => {
    const once = sanitizer.redact(input);
    expect(sanitizer.redact(once)).toBe(once);
  });

  test('a line redacted one at a time (build log) gets the same result', () => {
    for (const [input, expected] of FORMATTED_SECRETS) expect(sanitizer.lineByLine()(input)).toBe(expected);
  });

  test('skips() never vouches for a block whose secret is hidden by ANSI codes', () => {
    expect(sanitizer.lineByLine().skips(`pa${ESC}[1mss${ESC}[0mword=hunter2\n`)).toBe(false);
  });
});

describe('Sanitizer: the new rules keep linear time on hostile input', () => {
  const sanitizer = new Sanitizer();
  const n = 50_000;
  // Each would take minutes with a backtracking blow-up; the test's default timeout is the (generous) bound.
  test.each([
    ['mysql words', 'mysql '.repeat(n) + '-p'],
    ['-u flags', '-u x '.repeat(n) + '-p'],
    ['-p runs', ' -pa'.repeat(n)],
    ['long -u user', '-u ' + 'a'.repeat(n) + ' -pX'],
    ['sentry-like hosts', 'https://' + 'a'.repeat(n) + '@' + 'b'.repeat(n)],
    ['cookie pairs', 'Cookie: ' + 'a=b;'.repeat(n)],
    ['set-cookie without "="', 'Set-Cookie: ' + 'a '.repeat(n)],
    ['long flags', '--a-'.repeat(n) + 'password'],
    ['_key parts', 'x_key'.repeat(n) + '='],
    ['_pass parts', 'a_pass_'.repeat(n) + ':'],
    ['escaped schemes', 'a:\\/\\/'.repeat(n)],
    ['ANSI soup', '\x1b[1m'.repeat(n) + 'password=x'],
  ])('%s', (_name, input) => {
    const once = sanitizer.redact(input);
    expect(typeof once).toBe('string');
  });
});
