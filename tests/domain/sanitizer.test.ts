import { REDACTED, Sanitizer } from '../../src/domain/sanitizer.js';

const R = REDACTED;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const GIT_SHA = '1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c';

const redacted: ReadonlyArray<readonly [string, string]> = [
  // a capitalized word is still a value when no sentence goes on after it, or after a snake/upper-case key
  ['privateKey: Encrypted', `privateKey: ${R}`],
  ['apiKey: Secret2024 is set', `apiKey: ${R} is set`],
  ['password: Summer and more', `password: ${R} and more`],
  // passwords in URLs, any scheme
  ['postgres://api:s3cr3t@db:5432/api', `postgres://api:${R}@db:5432/api`],
  ['DATABASE_URL=postgres://u:p@ss@db:5432/x', `DATABASE_URL=postgres://u:${R}@db:5432/x`],
  ['mongodb+srv://admin:pa55@cluster0.abc.mongodb.net/test?retryWrites=true', `mongodb+srv://admin:${R}@cluster0.abc.mongodb.net/test?retryWrites=true`],
  ['       REDIS_URL:  redis://:hunter22@redis:6379', `       REDIS_URL:  redis://:${R}@redis:6379`],
  ['amqp://guest:guest123@rabbit:5672/vhost', `amqp://guest:${R}@rabbit:5672/vhost`],
  ['Cloning https://x-access-token:ghs_abcdefghijklmnopqrstuvwxyz0123456789@github.com/org/repo.git', `Cloning https://x-access-token:${R}@github.com/org/repo.git`],
  // authorization headers and bare bearer tokens
  ['Authorization: Bearer abc.def.ghi', `Authorization: Bearer ${R}`],
  ['Authorization: Basic dXNlcjpwYXNz', `Authorization: Basic ${R}`],
  ['curl -H "Authorization: Bearer 0123456789abcdef" https://api', `curl -H "Authorization: Bearer ${R}" https://api`],
  ['{"headers":{"authorization":"Bearer 0123456789abcdef"}}', `{"headers":{"authorization":"Bearer ${R}"}}`],
  ['retrying with Bearer 9f8e7d6c5b4a3210 after 401', `retrying with Bearer ${R} after 401`],
  // key=value / key: value pairs
  ['DATABASE_PASSWORD=hunter2', `DATABASE_PASSWORD=${R}`],
  ['STRIPE_SECRET_KEY=sk_live_abcdefghijklmnop123', `STRIPE_SECRET_KEY=${R}`],
  ['GITHUB_TOKEN: ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', `GITHUB_TOKEN: ${R}`],
  ['connect password="a b c" user=bob', `connect password="${R}" user=bob`],
  ["secret='x y' mode=fast", `secret='${R}' mode=fast`],
  ['X-Api-Key: 12345abcde', `X-Api-Key: ${R}`],
  ['Server=db;Database=x;Password=p@ss;User=sa', `Server=db;Database=x;Password=${R};User=sa`],
  ['GET /cb?access_token=abc123&state=x 200', `GET /cb?access_token=${R}&state=x 200`],
  ['docker run --env=DB_PASSWORD=abc app', `docker run --env=DB_PASSWORD=${R} app`],
  ['client_secret => "s3cr3t"', `client_secret => "${R}"`],
  ['aws_access_key_id=AKIAIOSFODNN7EXAMPLE', `aws_access_key_id=${R}`],
  ['CREDENTIALS=user:pass', `CREDENTIALS=${R}`],
  // JSON
  ['{"password": "hunter2", "user": "bob"}', `{"password": "${R}", "user": "bob"}`],
  ['{"level":"info","auth":true}', `{"level":"info","auth":${R}}`],
  ['log: {\\"db_password\\":\\"hunter2\\",\\"port\\":5432}', `log: {\\"db_password\\":\\"${R}\\",\\"port\\":5432}`],
  ['[{"name":"DATABASE_PASSWORD","value":"hunter2"},{"name":"PORT","value":"5000"}]', `[{"name":"DATABASE_PASSWORD","value":"${R}"},{"name":"PORT","value":"5000"}]`],
  // Dokku config:set echo and config:export
  ['       DATABASE_PASSWORD:  hunter2 with spaces', `       DATABASE_PASSWORD:  ${R}`],
  ['remote:        SECRET_KEY_BASE:  abc def\r', `remote:        SECRET_KEY_BASE:  ${R}\r`],
  ["export DATABASE_PASSWORD='hunter2'", `export DATABASE_PASSWORD='${R}'`],
  // AWS
  [`AKIAIOSFODNN7EXAMPLE,${AWS_SECRET}`, `${R},${R}`],
  [`aws_secret_access_key ${AWS_SECRET}`, `aws_secret_access_key ${R}`],
  ['assumed role with ASIAY34FZKBOKMUTVV7A', `assumed role with ${R}`],
  // PEM private keys
  ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc=\n-----END RSA PRIVATE KEY-----\nafter', `-----BEGIN RSA PRIVATE KEY-----\n${R}\n-----END RSA PRIVATE KEY-----\nafter`],
  ['"key": "-----BEGIN PRIVATE KEY-----\\nMIIEv\\n-----END PRIVATE KEY-----\\n"', `"key": "-----BEGIN PRIVATE KEY-----${R}-----END PRIVATE KEY-----\\n"`],
  ['-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXk', `-----BEGIN OPENSSH PRIVATE KEY----- ${R}`],
  // provider tokens
  [`token=${JWT}`, `token=${R}`],
  [`session ${JWT} expired`, `session ${R} expired`],
  ['using ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa for clone', `using ${R} for clone`],
  ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', R],
  ['charge failed with sk_test_4eC39HqLyjWDarjtT1zdp7dc', `charge failed with ${R}`],
  ['webhook xoxb-1234567890-abcdefghij posted', `webhook ${R} posted`],
  ['maps key AIzaSyA-1234567890abcdefghijklmnopqrstu', `maps key ${R}`],
  ['//registry.npmjs.org/:_authToken npm_abcdefghijklmnopqrstuvwxyz0123456789', `//registry.npmjs.org/:_authToken ${R}`],
  ['glpat-abcdefghijklmnopqrst in .netrc', `${R} in .netrc`],
];

const unchanged: readonly string[] = [
  // a library's sentence after a camelCase property name is prose, not a value
  'Cannot parse privateKey: Encrypted private OpenSSH key detected, but no passphrase given',
  `commit ${GIT_SHA}`,
  ' ---> sha256:9f8e7d6c5b4a32109f8e7d6c5b4a32109f8e7d6c5b4a32109f8e7d6c5b4a3210',
  '=====> Start of test-app container output (a8dbbecba675 web.1)',
  'request 123e4567-e89b-12d3-a456-426614174000 done',
  '       Fetching remote code for test-app from https://github.com/dokku/dokku.git#main',
  'git@github.com:org/repo.git',
  'Step 1/5 : FROM node:18-alpine',
  '-----> Building test-app from Dockerfile',
  '2026-04-30T13:50:01.123456789Z app[web.1]: Listening on :5000',
  'Password reset email sent to user 42',
  'Bearer token required',
  'PORT=5000',
  'NODE_ENV=production',
  'DOKKU_APP_TYPE=herokuish',
  '       PORT:               5000',
  'Step 3/9 : RUN --mount=type=secret,id=npmrc npm ci',
  '#8 [auth] library/node:pull token for registry-1.docker.io',
  'author: Jane Doe <jane@example.com>',
  'PWD=/app',
  'http://localhost:5000/health',
  '-----BEGIN RSA PRIVATE KEY-----',
  'password=',
];

describe('Sanitizer.redact', () => {
  const sanitizer = new Sanitizer();

  test.each(redacted)('redacts %j', (input, expected) => {
    expect(sanitizer.redact(input)).toBe(expected);
  });

  test.each(unchanged)('leaves %j alone', (input) => {
    expect(sanitizer.redact(input)).toBe(input);
  });

  test.each([...redacted.map(([input]) => input), ...unchanged])('is idempotent on %j', (input) => {
    const once = sanitizer.redact(input);
    expect(sanitizer.redact(once)).toBe(once);
  });

  test('a PEM block split over many lines of a build log is removed whole', () => {
    const log = ['-----> Writing key', '-----BEGIN EC PRIVATE KEY-----', 'MHcCAQEEIIr', 'oUQDQgAE', '-----END EC PRIVATE KEY-----', 'done'].join('\n');
    expect(sanitizer.redact(log)).toBe(`-----> Writing key\n-----BEGIN EC PRIVATE KEY-----\n${R}\n-----END EC PRIVATE KEY-----\ndone`);
  });

  test('a multi-line text keeps the lines that hold no secret', () => {
    const text = '-----> Setting config vars\r\n       DATABASE_PASSWORD:  hunter2\r\n       PORT:               5000\r\n';
    expect(sanitizer.redact(text)).toBe(`-----> Setting config vars\r\n       DATABASE_PASSWORD:  ${R}\r\n       PORT:               5000\r\n`);
  });

  test('a long line without triggers comes back unchanged', () => {
    const line = 'x'.repeat(1_000_000);
    expect(sanitizer.redact(line)).toBe(line);
  });
});

describe('Sanitizer extra secrets', () => {
  test('replaces known literal values wherever they appear', () => {
    const sanitizer = new Sanitizer(['Tr0ub4dor&3']);
    expect(sanitizer.redact('MY_SETTING=Tr0ub4dor&3 echoed: Tr0ub4dor&3')).toBe(`MY_SETTING=${R} echoed: ${R}`);
  });

  test('replaces the longest secret first', () => {
    const sanitizer = new Sanitizer(['abcd', 'abcdefgh']);
    expect(sanitizer.redact('v=abcdefgh')).toBe(`v=${R}`);
  });

  test('escapes regex characters in secrets', () => {
    const sanitizer = new Sanitizer(['a.b*c(d)']);
    expect(sanitizer.redact('x a.b*c(d) axbbbcd')).toBe(`x ${R} axbbbcd`);
  });

  test('ignores values shorter than 4 characters and parts of the marker itself', () => {
    const sanitizer = new Sanitizer(['abc', 'REDACTED', 'DACT', 'here']);
    expect(sanitizer.redact('abc is here')).toBe(`abc is ${R}`);
    const once = sanitizer.redact('MY_PASSWORD=x');
    expect(once).toBe(`MY_PASSWORD=${R}`);
    expect(sanitizer.redact(once)).toBe(once);
  });

  test('withSecrets returns a new sanitizer and leaves the original alone', () => {
    const base = new Sanitizer(['first-secret']);
    const extended = base.withSecrets(['second-secret']);
    expect(extended.redact('first-secret second-secret')).toBe(`${R} ${R}`);
    expect(base.redact('first-secret second-secret')).toBe(`${R} second-secret`);
  });
});

describe('Sanitizer.lineByLine (text that arrives one line at a time)', () => {
  const R = REDACTED;
  test('redacts the body of a private key that spans lines, keeping the markers', () => {
    const redact = new Sanitizer().lineByLine();
    const out = ['before', '-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU', 'AAAAC3NzaC1lZDI1NTE5AAAAIH', '-----END OPENSSH PRIVATE KEY-----', 'after']
      .map(redact);
    expect(out[0]).toBe('before');
    expect(out[2]).toBe(R);
    expect(out[3]).toBe(R);
    expect(out[4]).toBe(`${R}-----END OPENSSH PRIVATE KEY-----`);
    expect(out[5]).toBe('after');
    expect(out.join('\n')).not.toMatch(/b3BlbnNz|AAAAC3Nza/);
  });

  test('a BEGIN without an END stops redacting after a bounded number of lines', () => {
    const redact = new Sanitizer().lineByLine();
    redact('-----BEGIN RSA PRIVATE KEY-----');
    const lines = Array.from({ length: 300 }, (_, i) => redact(`line ${i}`));
    expect(lines[0]).toBe(R);
    expect(lines[299]).toBe('line 299');
  });

  test('joined midway (a live follower): the rest of a key whose BEGIN came before is redacted, then only what always is', () => {
    const body = ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7', 'Zm9vYmFyYmF6cXV4cXV1eA==', 'AB3='];
    const redact = new Sanitizer().lineByLine({ joinedMidway: true });
    const out = [...body, '-----END RSA PRIVATE KEY-----', 'Listening on 5000', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t', 'ready'].map(redact);
    expect(out.slice(0, 3)).toEqual([R, R, R]);
    expect(out[3]).toBe(`${R}-----END RSA PRIVATE KEY-----`);
    // After a line that cannot be a key's body, a base64-looking line is an ordinary one again (no BEGIN came).
    expect(out.slice(4)).toEqual(['Listening on 5000', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t', 'ready']);
    // Without the option (a whole log from its start), the same lines are left alone.
    expect(body.map(new Sanitizer().lineByLine())).toEqual(body);
  });

  test('joined midway: base64-looking lines are taken for a key no longer than a key can be', () => {
    const redact = new Sanitizer().lineByLine({ joinedMidway: true });
    const digests = Array.from({ length: 250 }, (_, i) => `${i}`.padStart(4, '0').repeat(10));
    const out = digests.map(redact);
    expect(out[0]).toBe(R);
    expect(out[199]).toBe(R);
    expect(out.slice(200)).toEqual(digests.slice(200));
  });

  test('joined midway at an ordinary line: a lone word is left alone, and a later key is redacted as usual', () => {
    const redact = new Sanitizer().lineByLine({ joinedMidway: true });
    const out = ['Listening', 'GET / 200', '-----BEGIN EC PRIVATE KEY-----', 'MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oA', '-----END EC PRIVATE KEY-----'].map(redact);
    expect(out).toEqual(['Listening', 'GET / 200', '-----BEGIN EC PRIVATE KEY-----', R, `${R}-----END EC PRIVATE KEY-----`]);
  });

  test('each redactor keeps its own state', () => {
    const sanitizer = new Sanitizer();
    const a = sanitizer.lineByLine();
    const b = sanitizer.lineByLine();
    a('-----BEGIN EC PRIVATE KEY-----');
    expect(a('MHcCAQEEIB')).toBe(R);
    expect(b('MHcCAQEEIB')).toBe('MHcCAQEEIB');
  });
});

describe('Sanitizer.lineByLine().skips (whole blocks that need no redaction)', () => {
  test('vouches only for text with no trigger, no known secret, outside a key block', () => {
    const plain = '-----> Building app\n       Step 1/5 : FROM node:20\n';
    expect(new Sanitizer().lineByLine().skips(plain)).toBe(true);
    expect(new Sanitizer().lineByLine().skips('DATABASE_URL=postgres://u:p@db/x\n')).toBe(false);
    expect(new Sanitizer(['Tr0ub4dor']).lineByLine().skips('value is Tr0ub4dor\n')).toBe(false);
    const redact = new Sanitizer().lineByLine();
    redact('-----BEGIN RSA PRIVATE KEY-----');
    expect(redact.skips('MIIEowIBAAKCAQEA\n')).toBe(false);
  });

  test('asking twice gives the same answer (no regex state carried between calls)', () => {
    const redact = new Sanitizer(['Tr0ub4dor']).lineByLine();
    expect(redact.skips('Tr0ub4dor\n')).toBe(false);
    expect(redact.skips('Tr0ub4dor\n')).toBe(false);
  });
});

describe('Sanitizer.withSecretKeys (config keys being set)', () => {
  const R = REDACTED;
  test("redacts the value Dokku echoes for those keys however short, and nothing else", () => {
    const sanitizer = new Sanitizer().withSecretKeys(['PIN', 'FEATURE_X']);
    expect(sanitizer.redact('       PIN:        42')).toBe(`       PIN:        ${R}`);
    expect(sanitizer.redact('remote:        FEATURE_X:  on')).toBe(`remote:        FEATURE_X:  ${R}`);
    expect(sanitizer.redact('       NODE_ENV:   production')).toBe('       NODE_ENV:   production');
    expect(sanitizer.redact('the PIN: 42 in prose')).toBe('the PIN: 42 in prose');
  });

  test('is idempotent, survives withSecrets, and makes skips() refuse such blocks', () => {
    const sanitizer = new Sanitizer().withSecretKeys(['PIN']).withSecrets(['longer-secret']);
    const once = sanitizer.redact('       PIN:  42');
    expect(sanitizer.redact(once)).toBe(once);
    expect(sanitizer.redact('x longer-secret')).toBe(`x ${R}`);
    expect(sanitizer.lineByLine().skips('-----> Setting config vars\n       PIN:  42\n')).toBe(false);
    expect(new Sanitizer().lineByLine().skips('-----> Setting config vars\n       PIN:  42\n')).toBe(true);
  });
});
