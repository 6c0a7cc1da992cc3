import { BoundedLineSplitter } from '../../../../../src/adapters/inbound/mcp/transports/line-splitter.js';

const feed = (splitter: BoundedLineSplitter, ...chunks: string[]) => chunks.flatMap((c) => splitter.push(Buffer.from(c)));

describe('BoundedLineSplitter', () => {
  it('joins lines split across chunks and strips a trailing CR', () => {
    expect(feed(new BoundedLineSplitter(100), '{"a"', ':1}\r\n{"b":2}\n{"c"')).toEqual([
      { kind: 'line', text: '{"a":1}' },
      { kind: 'line', text: '{"b":2}' },
    ]);
  });

  it('reports a line over the limit once, at its newline, keeping only its head, and reads the next line', () => {
    const splitter = new BoundedLineSplitter(10);
    const out = feed(splitter, '{"id":3,', '"x":"', 'y'.repeat(50), '"}\n{"ok":1}\n');
    expect(out).toEqual([
      { kind: 'oversized', bytes: 8 + 5 + 50 + 2, head: '{"id":3,"x":"' },
      { kind: 'line', text: '{"ok":1}' },
    ]);
  });
});
