import { REDACTED } from '../../src/domain/sanitizer.js';

/**
 * Forms that leaked in the adversarial run of issue 14: secrets behind ANSI colour codes and JSON escaping, key names
 * and command-line forms the patterns did not know. Each pair: the input, and what must come back.
 */
const R = REDACTED;
const ESC = '\x1b';

export const FORMATTED_SECRETS: ReadonlyArray<readonly [string, string]> = [
  // ANSI colour codes around or inside a key name (build logs); the output is ANSI-free
  [`${ESC}[1mDATABASE_PASSWORD${ESC}[0m=hunter2xyz`, `DATABASE_PASSWORD=${R}`],
  [`       DATABASE_PASSWORD:${ESC}[0m  hunter2 xyz`, `       DATABASE_PASSWORD:  ${R}`],
  [`${ESC}[33mAPI_${ESC}[1mTOKEN${ESC}[0m: tok-abcdef123`, `API_TOKEN: ${R}`],
  [`pass${ESC}[0mword=hunter2xyz`, `password=${R}`],
  // JSON-escaped URLs
  ['{"DATABASE_URL":"postgres:\\/\\/u:PW-s3cr3t@h:5432\\/db"}', `{"DATABASE_URL":"postgres:\\/\\/u:${R}@h:5432\\/db"}`],
  ['url=redis:\\/\\/:hunter22@redis:6379', `url=redis:\\/\\/:${R}@redis:6379`],
  // *_KEY names
  ['APP_KEY=base64:abcdefghijklmnop', `APP_KEY=${R}`],
  ['RAILS_MASTER_KEY=0123456789abcdef0123456789abcdef', `RAILS_MASTER_KEY=${R}`],
  ['SECRET_KEY_BASE=deadbeefcafe', `SECRET_KEY_BASE=${R}`],
  ['MASTER_KEY: m4st3r', `MASTER_KEY: ${R}`],
  ['SIGNING_KEY=sig-123456', `SIGNING_KEY=${R}`],
  ['{"encryption_key":"enc-123456"}', `{"encryption_key":"${R}"}`],
  ['       APP_KEY:  base64:abcdefghijklmnop', `       APP_KEY:  ${R}`],
  // *_PASS names
  ['DB_PASS=hunter2xyz', `DB_PASS=${R}`],
  ['SMTP_PASS: sm7p-pw', `SMTP_PASS: ${R}`],
  ['       MYSQL_PASS:  hunter2', `       MYSQL_PASS:  ${R}`],
  // Sentry DSNs: the key before "@" of a sentry host, or any SENTRY_DSN value
  ['Sentry: https://0123456789abcdef0123456789abcdef@o123.ingest.sentry.io/456 ready', `Sentry: https://${R}@o123.ingest.sentry.io/456 ready`],
  ['dsn is https://abcdef0123456789@sentry.example.com/2', `dsn is https://${R}@sentry.example.com/2`],
  ['SENTRY_DSN=https://abcdef0123456789@errors.example.com/2', `SENTRY_DSN=${R}`],
  ['{"dsn":"https:\\/\\/abcdef0123456789@o1.ingest.us.sentry.io\\/9"}', `{"dsn":"${R}"}`],
  // Cookies: values go, names stay, Set-Cookie attributes stay
  ['Set-Cookie: _session_id=abc123def456; Path=/; HttpOnly; Secure', `Set-Cookie: _session_id=${R}; Path=/; HttpOnly; Secure`],
  ['Cookie: theme=dark; sid=s%3Aabc.def', `Cookie: theme=${R}; sid=${R}`],
  ['curl -H "Cookie: sid=abc123" https://x', `curl -H "Cookie: sid=${R}" https://x`],
  ['{"cookie":"sid=abc123; lang=en"}', `{"cookie":"sid=${R}; lang=${R}"}`],
  ['set-cookie: remember_token=xyz789; Max-Age=3600', `set-cookie: remember_token=${R}; Max-Age=3600`],
  // command lines
  ['mysql -u root -phunter2 app_db', `mysql -u root -p${R} app_db`],
  ['mysqldump --single-transaction -h db -phunter2 shop > dump.sql', `mysqldump --single-transaction -h db -p${R} shop > dump.sql`],
  ['run: -u admin -ps3cr3t', `run: -u admin -p${R}`],
  ['-uadmin -p"s3 cr3t" --host db', `-uadmin -p"${R}" --host db`],
  ['pg_restore --password hunter2 --dbname x', `pg_restore --password ${R} --dbname x`],
  ['mytool --password=hunter2 --verbose', `mytool --password=${R} --verbose`],
  ["cli --db-password 'a b c' go", `cli --db-password '${R}' go`],
];

export const ORDINARY_TEXT: readonly string[] = [
  'the key is in the drawer',
  'key: value is missing',
  'monkey=banana',
  'hotkey: ctrl+k',
  'PUBLIC_KEY=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample',
  'STRIPE_PUBLISHABLE_KEY=pk_live_abcdef',
  'KEY_ID=abc123',
  'SSH_KEY_PATH=/root/.ssh/id_ed25519',
  'cache_key=views/items/42',
  'primary_key: id',
  'PASS tests/app.test.ts',
  'pass: 12 fail: 0',
  'compass=north',
  'mkdir -p /app/tmp',
  'docker run -p 5000:5000 app',
  'Cookies: 3 set',
  'https://github.com/heroku/heroku-buildpack-nodejs',
  'https://git@github.com/org/repo.git',
  '--password-file /run/secrets/db',
  '--password --verbose',
];
