import { defineScript } from '@redis/client';
import { DEPLOYMENT_SCRIPTS } from './redis-deployment-scripts.js';

/**
 * The Lua scripts the Redis adapters run: each read-modify-write is one script, so it is atomic however many instances
 * race. Time is the Redis server's (TIME), not each instance's clock: instances whose clocks differ still agree.
 * node-redis sends them by SHA (EVALSHA) and falls back to the source once per server (NOSCRIPT after a restart).
 */
const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const asArray = (reply: unknown) => reply as unknown as Array<number | string | null>;
const asNumber = (reply: unknown) => Number(reply);

/**
 * Token bucket: KEYS[1] a hash {tokens, at}; ARGV burst, tokens per ms. Refills continuously, takes one token if there
 * is one. Returns {1, 0} when taken, else {0, ms until a token is back}. A full bucket is the same as no key, so the
 * key expires when the bucket would be full again.
 */
const TAKE_TOKEN = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `${NOW_MS}
local burst = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then tokens = burst; at = now end
tokens = math.min(burst, tokens + math.max(0, now - at) * per_ms)
local taken = 0
if tokens >= 1 then tokens = tokens - 1; taken = 1 end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / per_ms) + 1000)
if taken == 1 then return {1, 0} end
return {0, math.ceil((1 - tokens) / per_ms)}`,
  parseCommand(parser, key: string, burst: number, perMs: number) {
    parser.pushKey(key);
    parser.push(String(burst), String(perMs));
  },
  transformReply: asArray,
});

/**
 * Presence claim: KEYS[1] a sorted set member -> expiry (ms); ARGV member, max, ttl ms. Drops expired members, then
 * adds (or renews) the member unless `max` live ones are there. Returns {1, held} or {0, held}.
 */
const PRESENCE_CLAIM = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `${NOW_MS}
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZCARD', KEYS[1])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false then
  if held >= tonumber(ARGV[2]) then return {0, held} end
  held = held + 1
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
return {1, held}`,
  parseCommand(parser, key: string, member: string, max: number, ttlMs: number) {
    parser.pushKey(key);
    parser.push(member, String(max), String(ttlMs));
  },
  transformReply: asArray,
});

/**
 * Presence renewal: KEYS[1] the sorted set; ARGV ttl ms, then the members this instance holds. Each gets a new expiry
 * (re-added if it vanished, e.g. Redis restarted empty: the sessions are still open). Returns how many were renewed.
 */
const PRESENCE_RENEW = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `${NOW_MS}
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + ttl, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ttl)
return #ARGV - 1`,
  parseCommand(parser, key: string, ttlMs: number, members: string[]) {
    parser.pushKey(key);
    parser.push(String(ttlMs), ...members);
  },
  transformReply: asNumber,
});

/** Presence count: KEYS[1] the sorted set. Live members (expiry in the future). */
const PRESENCE_COUNT = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `${NOW_MS}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`,
  parseCommand(parser, key: string) {
    parser.pushKey(key);
  },
  transformReply: asNumber,
});

/** Lock: KEYS[1]; ARGV value (nonce + holder), ttl ms. Returns {1} when taken, else {0, the current value}. */
const LOCK_ACQUIRE = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1} end
return {0, redis.call('GET', KEYS[1])}`,
  parseCommand(parser, key: string, value: string, ttlMs: number) {
    parser.pushKey(key);
    parser.push(value, String(ttlMs));
  },
  transformReply: asArray,
});

/** Lock renewal: a new expiry if the value is still ours. Returns 1, or 0 when the lock is someone else's or gone. */
const LOCK_RENEW = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  parseCommand(parser, key: string, value: string, ttlMs: number) {
    parser.pushKey(key);
    parser.push(value, String(ttlMs));
  },
  transformReply: asNumber,
});

/** Lock release: deletes the key only if the value is still ours. */
const LOCK_RELEASE = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  parseCommand(parser, key: string, value: string) {
    parser.pushKey(key);
    parser.push(value);
  },
  transformReply: asNumber,
});

export const SCRIPTS = {
  takeToken: TAKE_TOKEN,
  presenceClaim: PRESENCE_CLAIM,
  presenceRenew: PRESENCE_RENEW,
  presenceCount: PRESENCE_COUNT,
  lockAcquire: LOCK_ACQUIRE,
  lockRenew: LOCK_RENEW,
  lockRelease: LOCK_RELEASE,
  ...DEPLOYMENT_SCRIPTS,
};
