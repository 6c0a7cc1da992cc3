import {
  firstReport,
  parseAppsListText,
  parseConfigShow,
  parseJsonStringArray,
  parsePluginList,
  parseReportJson,
  parseReportText,
  parseScaleJson,
  parseScaleText,
  parseVersion,
  processStatuses,
  versionAtLeast,
} from '../../../../src/adapters/outbound/ssh/dokku-output-parsers.js';

// Samples from reference/dokku-cli.md.
const PS_REPORT_TEXT = [
  '=====> node-js-app ps information',
  '       Deployed:                         true',
  '       Processes:                        2',
  '       Ps can scale:                     true',
  '       Ps computed dockerfile start cmd: ',
  '       Ps computed procfile path:        Procfile',
  '       Ps computed restart policy:       on-failure:10',
  '       Ps restart policy:                ',
  '       Restore:                          true',
  '       Running:                          mixed',
  '       Status web 1:                     running (CID: 3f1c2a9b8d7)',
  '       Status worker 1:                  missing',
  '',
].join('\n');
const PS_REPORT_JSON =
  '{"can-scale":"true","computed-procfile-path":"Procfile","deployed":"true","processes":"2","ps-can-scale":"true",' +
  '"restore":"true","running":"mixed","status-web.1":"running (CID: 3f1c2a9b8d7)","status-worker.1":"missing"}';

describe('Dokku output parsers', () => {
  it('reads the version', () => {
    expect(parseVersion('dokku version 0.38.27\n')).toBe('0.38.27');
    expect(parseVersion('master')).toBeUndefined();
  });

  it('compares versions numerically', () => {
    expect(versionAtLeast('0.38.21', '0.38.21')).toBe(true);
    expect(versionAtLeast('0.38.3', '0.38.21')).toBe(false);
    expect(versionAtLeast('0.100.0', '0.38.21')).toBe(true);
    expect(versionAtLeast('1.0.0', '0.38.21')).toBe(true);
    expect(versionAtLeast(undefined, '0.1.0')).toBe(false);
  });

  it('parses apps:list text and JSON the same', () => {
    expect(parseAppsListText('=====> My Apps\nnode-js-app\npython-app\n')).toEqual(['node-js-app', 'python-app']);
    expect(parseAppsListText('\x1b[1m=====> My Apps\x1b[0m\n')).toEqual([]);
    expect(parseJsonStringArray('["python-app","node-js-app"]\n')).toEqual(['node-js-app', 'python-app']);
    expect(() => parseJsonStringArray('{"a":1}')).toThrow();
  });

  it('parses the ps:report text form into the JSON names', () => {
    const report = firstReport(PS_REPORT_TEXT);
    expect(report).toMatchObject({
      deployed: 'true',
      running: 'mixed',
      'can-scale': 'true',
      'computed-procfile-path': 'Procfile',
      'computed-dockerfile-start-cmd': '',
      'status-web.1': 'running (CID: 3f1c2a9b8d7)',
    });
    expect(processStatuses(report)).toEqual(processStatuses(parseReportJson(PS_REPORT_JSON)));
    expect(processStatuses(report)).toEqual([
      { type: 'web', index: 1, status: 'running', containerId: '3f1c2a9b8d7' },
      { type: 'worker', index: 1, status: 'missing' },
    ]);
  });

  it('parses a multi-app domains report, one section per app', () => {
    const text = [
      '=====> node-js-app domains information',
      '       Domains app enabled:           true',
      '       Domains app vhosts:            node-js-app.dokku.me www.example.com',
      '       Domains global enabled:        true',
      '       Domains global vhosts:         dokku.me',
      '=====> python-app domains information',
      '       Domains app enabled:           false',
      '       Domains app vhosts:            ',
      '       Domains global enabled:        true',
      '       Domains global vhosts:         dokku.me',
    ].join('\n');
    const sections = parseReportText(text);
    expect([...sections.keys()]).toEqual(['node-js-app', 'python-app']);
    expect(sections.get('node-js-app')).toEqual({
      'app-enabled': 'true',
      'app-vhosts': 'node-js-app.dokku.me www.example.com',
      'global-enabled': 'true',
      'global-vhosts': 'dokku.me',
    });
    expect(sections.get('python-app')!['app-vhosts']).toBe('');
  });

  it('parses the apps:report text form', () => {
    const text = '=====> my-app app information\n       App created at:                1700000000\n       App deploy source:             git-sync\n';
    expect(firstReport(text)).toEqual({ 'created-at': '1700000000', 'deploy-source': 'git-sync' });
  });

  it('parses ps:scale text and JSON the same', () => {
    const text = '-----> Scaling for node-js-app\nproctype: qty\n--------: ---\nweb:  1\nworker: 2\n';
    expect(parseScaleText(text)).toEqual({ web: 1, worker: 2 });
    expect(parseScaleJson('[{"process_type":"web","quantity":1},{"process_type":"worker","quantity":2}]')).toEqual({ web: 1, worker: 2 });
    expect(parseScaleJson('[]')).toEqual({});
  });

  it('parses config:show, keeping values with spaces and colons', () => {
    const text = '=====> my-app env vars\nA:             x  y\nDATABASE_URL:  postgres://u:p@h:5432/d\n';
    expect(parseConfigShow(text)).toEqual({ A: 'x  y', DATABASE_URL: 'postgres://u:p@h:5432/d' });
  });

  it('parses plugin:list rows', () => {
    const text = '  00_dokku-standard    0.38.27 enabled    dokku core standard plugin\n  letsencrypt          0.25.2 disabled   LE\n';
    expect(parsePluginList(text)).toEqual([
      { name: '00_dokku-standard', version: '0.38.27', enabled: true },
      { name: 'letsencrypt', version: '0.25.2', enabled: false },
    ]);
  });

  it('reads JSON reports as flat string maps', () => {
    expect(parseReportJson('{"a":"1","b":2}')).toEqual({ a: '1', b: '2' });
    expect(() => parseReportJson('[1]')).toThrow();
  });
});
