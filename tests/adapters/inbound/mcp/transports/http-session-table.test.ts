import { jest } from '@jest/globals';
import { HttpSessionTable } from '../../../../../src/adapters/inbound/mcp/transports/http-session-table.js';
import { RecordingLogger } from '../../../../support/recording-logger.js';

describe('HttpSessionTable', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  const table = (maxSessions = 3) => {
    const closed: string[] = [];
    const sessions = new HttpSessionTable({ maxSessions, idleMs: 1_000 }, new RecordingLogger(), () => Date.now());
    const add = (id: string) => sessions.add(id, 'http', async () => void closed.push(id));
    return { sessions, closed, add };
  };

  it('closes a session idle for idleMs, and forgets it; an open request or stream keeps it', async () => {
    const { sessions, closed, add } = table();
    const busy = add('busy');
    add('idle');
    const done = busy.open();
    jest.advanceTimersByTime(1_000);
    expect(closed).toEqual(['idle']);
    expect(sessions.get('idle', 'http')).toBeUndefined();
    jest.advanceTimersByTime(5_000);
    expect(closed).toEqual(['idle']); // open the whole time
    done();
    done(); // ending twice counts once
    jest.advanceTimersByTime(999);
    expect(closed).toEqual(['idle']);
    jest.advanceTimersByTime(1);
    expect(closed).toEqual(['idle', 'busy']);
    expect(sessions.size).toBe(0);
  });

  it('is full at maxSessions; Retry-After is the time until the first idle session expires', () => {
    const { sessions, add } = table(2);
    add('a').open();
    jest.advanceTimersByTime(300);
    add('b');
    expect(sessions.isFull).toBe(true);
    jest.advanceTimersByTime(200);
    expect(sessions.retryAfterSeconds()).toBe(1); // 'b' expires in 800 ms: rounded up
    sessions.remove('b');
    expect(sessions.isFull).toBe(false);
  });

  it('keeps the kinds apart and closes everything on closeAll', async () => {
    const { sessions, closed, add } = table();
    add('x');
    expect(sessions.get('x', 'sse')).toBeUndefined();
    await sessions.closeAll();
    expect(closed).toEqual(['x']);
    expect(sessions.size).toBe(0);
  });
});
