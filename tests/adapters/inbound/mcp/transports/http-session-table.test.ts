import { jest } from '@jest/globals';
import { HttpSessionTable } from '../../../../../src/adapters/inbound/mcp/transports/http-session-table.js';
import type { Caller } from '../../../../../src/domain/caller.js';
import { RecordingLogger } from '../../../../support/recording-logger.js';

const open = (sessionId: string): Caller => ({ transport: 'http', sessionId, tokenId: null, tenant: null, scopes: ['read'] });
const withToken = (sessionId: string, tokenId: string, tenant: string): Caller => ({ ...open(sessionId), tokenId, tenant });

describe('HttpSessionTable', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  const table = (maxSessions = 3, idleMs = 1_000) => {
    const closed: string[] = [];
    const sessions = new HttpSessionTable({ maxSessions, idleMs }, new RecordingLogger(), () => Date.now());
    const add = (id: string, caller: Caller = open(id)) => sessions.add(id, 'http', caller, async () => void closed.push(id));
    return { sessions, closed, add };
  };

  it('closes a session idle for idleMs, and forgets it; an open request or stream keeps it', async () => {
    const { sessions, closed, add } = table();
    const busy = add('busy');
    add('idle');
    const done = busy.open();
    jest.advanceTimersByTime(1_000);
    expect(closed).toEqual(['idle']);
    expect(sessions.get('idle', 'http', null)).toBeUndefined();
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
    expect(sessions.get('x', 'sse', null)).toBeUndefined();
    await sessions.closeAll();
    expect(closed).toEqual(['x']);
    expect(sessions.size).toBe(0);
  });

  it("gives a session only to the token that opened it: another token's request does not find it", () => {
    const { sessions, add } = table();
    add('s', withToken('s', 'shop-bot', 'shop'));
    expect(sessions.get('s', 'http', 'shop-bot')?.caller.tokenId).toBe('shop-bot');
    expect(sessions.get('s', 'http', 'billing-bot')).toBeUndefined();
    expect(sessions.get('s', 'http', null)).toBeUndefined();
    add('open');
    expect(sessions.get('open', 'http', 'shop-bot')).toBeUndefined();
    expect(sessions.get('open', 'http', null)?.id).toBe('open');
  });

  it("a tenant's Retry-After counts that tenant's idle sessions only", () => {
    const { sessions, add } = table(5, 10_000);
    add('other', withToken('other', 'billing-bot', 'billing'));
    jest.advanceTimersByTime(6_000);
    add('mine', withToken('mine', 'shop-bot', 'shop'));
    jest.advanceTimersByTime(1_000);
    expect(sessions.retryAfterSeconds()).toBe(3); // 'other' expires in 3 s
    expect(sessions.retryAfterSeconds('shop')).toBe(9); // 'mine' in 9 s
    sessions.get('mine', 'http', 'shop-bot')!.open();
    expect(sessions.retryAfterSeconds('shop')).toBe(10); // none idle: one idle period
  });
});
