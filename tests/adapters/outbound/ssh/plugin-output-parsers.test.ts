import { parseKeyValueBlock, parseServiceList, parseSshKeysJson, parseSshKeysText, wordsOrNone } from '../../../../src/adapters/outbound/ssh/plugin-output-parsers.js';
import { parseLetsencryptReport } from '../../../../src/adapters/outbound/ssh/ssh-dokku-letsencrypt.adapter.js';

describe('plugin output parsers', () => {
  it('<type>:list: names only today; the NAME/VERSION/… table of older plugins', () => {
    expect(parseServiceList('=====> Postgres services\nshop-db\nanalytics\n')).toEqual(['analytics', 'shop-db']);
    expect(parseServiceList('')).toEqual([]);
    const table = 'NAME      VERSION        STATUS   EXPOSED PORTS  LINKS\nlollipop  postgres:11.6  running  -              playground\n';
    expect(parseServiceList(table)).toEqual(['lollipop']);
  });

  it('<type>:info: printf-padded rows, empty values and "-" for none', () => {
    const info = [
      '=====> db postgres service information',
      '       Config dir:          /var/lib/dokku/services/postgres/db/data',
      '       Dsn:                 postgres://postgres:pw@dokku-postgres-db:5432/db',
      '       Exposed ports:       -                        ',
      '       Initial network:                              ',
      '       Links:               app-a app-b              ',
      '       Status:              running                  ',
    ].join('\n');
    const fields = parseKeyValueBlock(info);
    expect(fields).toMatchObject({ 'config-dir': '/var/lib/dokku/services/postgres/db/data', dsn: 'postgres://postgres:pw@dokku-postgres-db:5432/db', 'initial-network': '', status: 'running' });
    expect(wordsOrNone(fields['exposed-ports'])).toEqual([]);
    expect(wordsOrNone(fields.links)).toEqual(['app-a', 'app-b']);
  });

  it('letsencrypt:report: no expiry without a certificate (the plugin prints today\'s midnight then)', () => {
    const report = (active: boolean, expiry: string) => [
      '=====> shop letsencrypt information',
      `       Letsencrypt active:            ${active}                    `,
      '       Letsencrypt autorenew:         true                     ',
      '       Letsencrypt computed email:    ops@example.com          ',
      `       Letsencrypt expiration:        ${expiry}               `,
    ].join('\n');
    expect(parseLetsencryptReport(report(false, '1785196800'))).toEqual({ active: false, email: 'ops@example.com', expiresAt: null, autoRenew: true });
    expect(parseLetsencryptReport(report(true, '1785196800'))).toMatchObject({ active: true, expiresAt: '2026-07-28T00:00:00.000Z' });
    expect(parseLetsencryptReport('=====> shop letsencrypt information\n       Letsencrypt active:            false\n')).toEqual({ active: false, email: null, expiresAt: null, autoRenew: null });
    expect(() => parseLetsencryptReport('something else')).toThrow();
  });

  it('ssh-keys:list: sshcommand\'s text and its JSON', () => {
    const text = 'SHA256:y/lCsvs2fCWjcYc0whZFYQ3UX/OO2qv+n6wE7D9dCeI NAME="admin" SSHCOMMAND_ALLOWED_KEYS="no-agent-forwarding"\n' +
      '2a:f7:39:1c:63:80:c4:9e:a8:92:ec:e6:94:91:fa:c0 NAME="md5" SSHCOMMAND_ALLOWED_KEYS="no-agent-forwarding"\n';
    expect(parseSshKeysText(text)).toEqual([
      { fingerprint: 'SHA256:y/lCsvs2fCWjcYc0whZFYQ3UX/OO2qv+n6wE7D9dCeI', name: 'admin' },
      { fingerprint: '2a:f7:39:1c:63:80:c4:9e:a8:92:ec:e6:94:91:fa:c0', name: 'md5' },
    ]);
    const json = '[{ "fingerprint": "SHA256:abc", "name": "admin", "SSHCOMMAND_ALLOWED_KEYS": "x", "public-key": "ssh-ed25519 AAAA" }]';
    expect(parseSshKeysJson(json)).toEqual([{ fingerprint: 'SHA256:abc', name: 'admin' }]);
    expect(() => parseSshKeysJson('{"a":1}')).toThrow();
  });
});
