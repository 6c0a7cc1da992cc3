import { splitMerged } from '../../../../src/adapters/outbound/ssh/ssh-channel.js';

describe('splitMerged (one pty stream back into stdout and Dokku\'s stderr lines)', () => {
  it.each([
    ['nothing marked', '-----> Creating app\nok\n', { stdout: '-----> Creating app\nok\n', stderr: '' }],
    ['a warning between output lines, order kept in each', 'a\n !     careful\nb\n !     again', { stdout: 'a\nb\n', stderr: ' !     careful\n !     again' }],
    ['a coloured warning', '\x1b[31m !     red\x1b[0m\nok\n', { stdout: 'ok\n', stderr: '\x1b[31m !     red\x1b[0m\n' }],
    ['"!" elsewhere in a line is output', 'Hello!\n2026-01-01T00:00:00Z app[web.1]: ! not dokku\n', { stdout: 'Hello!\n2026-01-01T00:00:00Z app[web.1]: ! not dokku\n', stderr: '' }],
    ['empty', '', { stdout: '', stderr: '' }],
  ])('%s', (_label, merged, expected) => {
    expect(splitMerged(merged)).toEqual(expected);
  });
});
