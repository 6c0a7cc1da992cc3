import { LogStream } from '../../src/domain/log-stream.js';

function pushRange(stream: LogStream<number>, from: number, to: number): void {
  for (let i = from; i <= to; i += 1) stream.push(i);
}

describe('LogStream', () => {
  test.each([0, -1, 1.5, Number.NaN, Infinity])('rejects capacity %p', (capacity) => {
    expect(() => new LogStream<number>(capacity)).toThrow(RangeError);
  });

  test('capacity 1 keeps only the newest item', () => {
    const stream = new LogStream<number>(1);
    const cursor = stream.subscribe();
    pushRange(stream, 1, 3);
    expect(stream.size).toBe(1);
    expect(cursor.read()).toEqual({ items: [3], dropped: 2 });
  });

  test('a cursor starts at the end and reads new items oldest first', () => {
    const stream = new LogStream<number>(10);
    pushRange(stream, 1, 3);
    const cursor = stream.subscribe();
    expect(cursor.pending).toBe(0);
    pushRange(stream, 4, 6);
    expect(cursor.pending).toBe(3);
    expect(cursor.read()).toEqual({ items: [4, 5, 6], dropped: 0 });
    expect(cursor.read()).toEqual({ items: [], dropped: 0 });
    expect(stream.totalPushed).toBe(6);
    expect(stream.size).toBe(6);
  });

  test('read(max) returns at most max items and keeps the rest pending', () => {
    const stream = new LogStream<number>(10);
    const cursor = stream.subscribe();
    pushRange(stream, 1, 5);
    expect(cursor.read(2)).toEqual({ items: [1, 2], dropped: 0 });
    expect(cursor.pending).toBe(3);
    expect(cursor.read(0)).toEqual({ items: [], dropped: 0 });
    expect(cursor.read()).toEqual({ items: [3, 4, 5], dropped: 0 });
    expect(() => cursor.read(-1)).toThrow(RangeError);
  });

  test('overflow: a slow cursor is told exactly how many it lost while a fast one loses nothing', () => {
    const stream = new LogStream<number>(4);
    const fast = stream.subscribe();
    const slow = stream.subscribe();
    const fastSeen: number[] = [];
    for (let i = 1; i <= 10; i += 1) {
      stream.push(i);
      fastSeen.push(...fast.read().items);
    }
    expect(fastSeen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(slow.pending).toBe(4);
    expect(slow.read()).toEqual({ items: [7, 8, 9, 10], dropped: 6 });
    // The loss is reported once, not again on the next read.
    pushRange(stream, 11, 11);
    expect(slow.read()).toEqual({ items: [11], dropped: 0 });
  });

  test('a partial read followed by overflow counts only the items it never got', () => {
    const stream = new LogStream<number>(3);
    const cursor = stream.subscribe();
    pushRange(stream, 1, 3);
    expect(cursor.read(1).items).toEqual([1]);
    pushRange(stream, 4, 6); // 2 and 3 are overwritten before the cursor read them
    expect(cursor.read()).toEqual({ items: [4, 5, 6], dropped: 2 });
  });

  test('replay delivers up to N most recent buffered items', () => {
    const stream = new LogStream<number>(5);
    pushRange(stream, 1, 8); // buffer holds 4..8
    expect(stream.subscribe({ replay: 2 }).read()).toEqual({ items: [7, 8], dropped: 0 });
    expect(stream.subscribe({ replay: 100 }).read()).toEqual({ items: [4, 5, 6, 7, 8], dropped: 0 });
    expect(stream.subscribe({ replay: 0 }).read()).toEqual({ items: [], dropped: 0 });
    expect(stream.subscribe({ replay: -3 }).read()).toEqual({ items: [], dropped: 0 });
  });

  test('cursors are independent', () => {
    const stream = new LogStream<string>(10);
    const a = stream.subscribe();
    stream.push('x');
    const b = stream.subscribe();
    stream.push('y');
    expect(b.read().items).toEqual(['y']);
    expect(a.read().items).toEqual(['x', 'y']);
    stream.push('z');
    expect(a.read().items).toEqual(['z']);
    expect(b.read().items).toEqual(['z']);
  });

  test('onAvailable is called on each push for open cursors only', () => {
    const stream = new LogStream<number>(3);
    let calls = 0;
    const cursor = stream.subscribe({ onAvailable: () => (calls += 1) });
    pushRange(stream, 1, 2);
    expect(calls).toBe(2);
    cursor.close();
    stream.push(3);
    expect(calls).toBe(2);
  });

  test('a throwing listener does not break push or other subscribers', () => {
    const stream = new LogStream<number>(3);
    stream.subscribe({
      onAvailable: () => {
        throw new Error('boom');
      },
    });
    let calls = 0;
    const healthy = stream.subscribe({ onAvailable: () => (calls += 1) });
    expect(() => stream.push(1)).not.toThrow();
    expect(calls).toBe(1);
    expect(healthy.read().items).toEqual([1]);
  });

  test('close lowers subscriberCount; onIdle fires when the last cursor leaves', () => {
    const stream = new LogStream<number>(3);
    let idleCalls = 0;
    stream.onIdle(() => (idleCalls += 1));
    stream.onIdle(() => {
      throw new Error('ignored');
    });
    const a = stream.subscribe();
    const b = stream.subscribe();
    expect(stream.subscriberCount).toBe(2);
    a.close();
    a.close(); // idempotent
    expect(stream.subscriberCount).toBe(1);
    expect(idleCalls).toBe(0);
    b.close();
    expect(stream.subscriberCount).toBe(0);
    expect(idleCalls).toBe(1);
    expect(a.closed).toBe(true);
    stream.push(1);
    expect(a.read()).toEqual({ items: [], dropped: 0 });
    expect(a.pending).toBe(0);
  });

  test('onIdle returns an unsubscribe function', () => {
    const stream = new LogStream<number>(3);
    let idleCalls = 0;
    const off = stream.onIdle(() => (idleCalls += 1));
    off();
    stream.subscribe().close();
    expect(idleCalls).toBe(0);
  });

  test('end: cursors read what is buffered, then report closed; later pushes are ignored', () => {
    const stream = new LogStream<number>(5);
    let wakeups = 0;
    const cursor = stream.subscribe({ onAvailable: () => (wakeups += 1) });
    pushRange(stream, 1, 2);
    stream.end();
    stream.end();
    expect(stream.ended).toBe(true);
    expect(wakeups).toBe(3); // two pushes + one end
    expect(cursor.closed).toBe(false);
    expect(cursor.read()).toEqual({ items: [1, 2], dropped: 0 });
    expect(cursor.closed).toBe(true);
    stream.push(3);
    expect(stream.totalPushed).toBe(2);
    expect(stream.subscriberCount).toBe(1); // ending does not close cursors for their owners
  });

  test('subscribing after end with replay reads the tail, then is closed', () => {
    const stream = new LogStream<number>(5);
    pushRange(stream, 1, 3);
    stream.end();
    expect(stream.subscribe().closed).toBe(true);
    const late = stream.subscribe({ replay: 2 });
    expect(late.closed).toBe(false);
    expect(late.read().items).toEqual([2, 3]);
    expect(late.closed).toBe(true);
  });

  test('memory stays bounded: 1,000,000 pushes into capacity 1000', () => {
    const stream = new LogStream<number>(1000);
    const slow = stream.subscribe();
    pushRange(stream, 1, 1_000_000);
    expect(stream.size).toBe(1000);
    expect(stream.totalPushed).toBe(1_000_000);
    const { items, dropped } = slow.read();
    expect(dropped).toBe(999_000);
    expect(items).toHaveLength(1000);
    expect(items[0]).toBe(999_001);
    expect(items[999]).toBe(1_000_000);
  });

  describe('resuming and skipping (cursor ids of a live stream)', () => {
    test('after: resumes right after the item with that sequence number; position counts items read', () => {
      const stream = new LogStream<number>(10);
      pushRange(stream, 1, 5); // seqs 0..4
      const cursor = stream.subscribe({ after: 1 });
      expect(cursor.position).toBe(2);
      expect(cursor.read()).toEqual({ items: [3, 4, 5], dropped: 0 });
      expect(cursor.position).toBe(5);
    });

    test('after an item the buffer no longer holds: the first read says how many are lost', () => {
      const stream = new LogStream<number>(3);
      pushRange(stream, 1, 8); // holds seqs 5..7
      expect(stream.subscribe({ after: 1 }).read()).toEqual({ items: [6, 7, 8], dropped: 3 });
    });

    test('after a sequence number not reached yet: waits at the end', () => {
      const stream = new LogStream<number>(3);
      pushRange(stream, 1, 2);
      const cursor = stream.subscribe({ after: 99 });
      stream.push(3);
      expect(cursor.read()).toEqual({ items: [3], dropped: 0 });
    });

    test('skip moves to the end and counts what it passed over, dropped items included', () => {
      const stream = new LogStream<number>(3);
      const cursor = stream.subscribe();
      pushRange(stream, 1, 7);
      expect(cursor.skip()).toBe(7);
      expect(cursor.pending).toBe(0);
      stream.push(8);
      expect(cursor.read()).toEqual({ items: [8], dropped: 0 });
    });

    test('itemsFrom and visitNewest read the buffer without a cursor', () => {
      const stream = new LogStream<number>(4);
      pushRange(stream, 1, 6); // holds 3..6 at seqs 2..5
      expect(stream.oldestSeq).toBe(2);
      expect(stream.itemsFrom(0)).toEqual([3, 4, 5, 6]);
      expect(stream.itemsFrom(4)).toEqual([5, 6]);
      const seen: Array<[number, number]> = [];
      stream.visitNewest((item, seq) => (seen.push([item, seq]), seen.length < 3));
      expect(seen).toEqual([[6, 5], [5, 4], [4, 3]]);
    });
  });
});
