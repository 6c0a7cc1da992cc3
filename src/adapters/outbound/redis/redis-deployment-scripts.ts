import { defineScript } from '@redis/client';

/**
 * The Lua scripts of the Redis deployment store and release history. A deployment `<key>` is a hash
 * `<prefix>dep:<key>` {rec (the record, JSON), active (1/0), end, first, dlines, gap, cancel, id} and a stream
 * `<prefix>dep:<key>:log` of blocks of whole lines, each entry's id `<start offset>-1` with fields t (the text) and n
 * (its lines): offsets are the writer's byte offsets, so a block is found by offset in O(log n), a retried append
 * skips what is there already, and output the writer could not hand over leaves a hole between two blocks (a gap).
 * `<prefix>dep-id:<id>` names the key of a deployment whose id differs (`<app>.<build id>`); `<prefix>deps` orders
 * the keys by when they were added. Names are built from the prefix inside the scripts: Redis standalone only.
 */

const INT = `local function int(n) return string.format('%d', n) end
`;

const asArray = (reply: unknown) => reply as unknown as Array<string | number | null>;

/**
 * Writes a deployment: KEYS hash, stream, index; ARGV prefix, mode, key, id, record, active, ttl ms, max deployments,
 * max log bytes, first offset, dropped lines, channel, then blocks as (start, lines, text). Modes: add (only if new),
 * create (the writer again after Redis lost it), append (the writer; only if there), record (another instance; no
 * blocks). How a stored deployment ended never changes: a write of another outcome (or of it active again) is
 * refused. Returns {1, end}, {0} (add: there already), {-1} (missing) or {-2} (ended otherwise). Publishes {"r": record, "e": end, "c": cancel} on the channel.
 */
const DEPLOYMENT_WRITE = defineScript({
  NUMBER_OF_KEYS: 3,
  SCRIPT: `${INT}
local prefix, mode, key, id = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local exists = redis.call('EXISTS', KEYS[1]) == 1
if mode == 'add' and exists then return {0} end
if (mode == 'append' or mode == 'record') and not exists then return {-1} end
if exists and redis.call('HGET', KEYS[1], 'active') == '0' then
  -- How a deployment ended never changes (a late link to its host build may still be written).
  if ARGV[6] ~= '0' or cjson.decode(redis.call('HGET', KEYS[1], 'rec')).status ~= cjson.decode(ARGV[5]).status then return {-2} end
end
local max = tonumber(ARGV[8])
if not exists then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'first', ARGV[10], 'end', ARGV[10], 'dlines', ARGV[11])
  local t = redis.call('TIME')
  redis.call('ZADD', KEYS[3], tonumber(t[1]) * 1000000 + tonumber(t[2]), key)
  -- max_deployments for the whole cluster: the oldest finished go first; active ones stay.
  local count = redis.call('ZCARD', KEYS[3])
  if count > max then
    for _, m in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
      if count <= max then break end
      local h = prefix .. 'dep:' .. m
      local state = redis.call('HMGET', h, 'active', 'id')
      if not state[1] or state[1] == '0' then
        redis.call('DEL', h, h .. ':log')
        if state[2] and state[2] ~= m then redis.call('DEL', prefix .. 'dep-id:' .. state[2]) end
        redis.call('ZREM', KEYS[3], m)
        count = count - 1
      end
    end
  end
end
local e = tonumber(redis.call('HGET', KEYS[1], 'end'))
local gap = tonumber(redis.call('HGET', KEYS[1], 'gap') or '0')
for i = 13, #ARGV, 3 do
  local start = tonumber(ARGV[i])
  if start > e then gap = gap + start - e end
  if start >= e then
    redis.call('XADD', KEYS[2], int(start) .. '-1', 't', ARGV[i + 2], 'n', ARGV[i + 1])
    e = start + string.len(ARGV[i + 2])
  end
end
-- The cap (logs.build.max_size_mb): the oldest blocks go, the last one always stays.
local first = tonumber(redis.call('HGET', KEYS[1], 'first'))
local dropped = tonumber(redis.call('HGET', KEYS[1], 'dlines'))
while e - first > tonumber(ARGV[9]) and redis.call('XLEN', KEYS[2]) > 1 do
  local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 2)
  redis.call('XDEL', KEYS[2], oldest[1][1])
  dropped = dropped + tonumber(oldest[1][2][4])
  first = tonumber(string.match(oldest[2][1], '^(%d+)'))
end
redis.call('HSET', KEYS[1], 'rec', ARGV[5], 'active', ARGV[6], 'end', int(e), 'first', int(first), 'dlines', int(dropped), 'gap', int(gap), 'id', id)
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
if id ~= key then redis.call('SET', prefix .. 'dep-id:' .. id, key, 'PX', ARGV[7]) end
redis.call('PEXPIRE', KEYS[3], 86400000)
local cancel = redis.call('HGET', KEYS[1], 'cancel') or '0'
redis.call('PUBLISH', ARGV[12], '{"r":' .. ARGV[5] .. ',"e":' .. int(e) .. ',"c":' .. cancel .. '}')
return {1, e}`,
  parseCommand(parser, keys: readonly [string, string, string], args: readonly string[]) {
    for (const key of keys) parser.pushKey(key);
    parser.push(...args);
  },
  transformReply: asArray,
});

/** One deployment by key or id: ARGV prefix, id. Returns {record, end, cancel} or null. */
const DEPLOYMENT_GET = defineScript({
  NUMBER_OF_KEYS: 0,
  SCRIPT: `local prefix = ARGV[1]
local v = redis.call('HMGET', prefix .. 'dep:' .. ARGV[2], 'rec', 'end', 'cancel')
if not v[1] then
  local key = redis.call('GET', prefix .. 'dep-id:' .. ARGV[2])
  if not key then return false end
  v = redis.call('HMGET', prefix .. 'dep:' .. key, 'rec', 'end', 'cancel')
  if not v[1] then return false end
end
return {v[1], v[2], v[3] or '0'}`,
  parseCommand(parser, prefix: string, id: string) {
    parser.push(prefix, id);
  },
  transformReply: (reply: unknown) => reply as unknown as [string, string, string] | null,
});

/** Every deployment, newest first: KEYS index; ARGV prefix. Returns record, end, cancel for each; drops expired ones from the index. */
const DEPLOYMENT_LIST = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `local out = {}
for _, m in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, -1)) do
  local v = redis.call('HMGET', ARGV[1] .. 'dep:' .. m, 'rec', 'end', 'cancel')
  if v[1] then
    table.insert(out, v[1]); table.insert(out, v[2]); table.insert(out, v[3] or '0')
  else
    redis.call('ZREM', KEYS[1], m)
  end
end
return out`,
  parseCommand(parser, index: string, prefix: string) {
    parser.pushKey(index);
    parser.push(prefix);
  },
  transformReply: (reply: unknown) => reply as unknown as string[],
});

/**
 * A build log from an offset: KEYS hash, stream; ARGV since. Returns {} for none, else {end, first, dropped lines,
 * gap bytes (holes ever made), then id and text of the block holding `since` (or every block when `since` is before the first kept) and all after}.
 */
const LOG_READ = defineScript({
  NUMBER_OF_KEYS: 2,
  SCRIPT: `${INT}
local h = redis.call('HMGET', KEYS[1], 'end', 'first', 'dlines', 'gap')
if not h[1] then return {} end
local since = tonumber(ARGV[1])
local out = {h[1], h[2], h[3], h[4] or '0'}
if since >= tonumber(h[1]) then return out end
local from = '-'
if since > tonumber(h[2]) then
  local prev = redis.call('XREVRANGE', KEYS[2], int(since) .. '-1', '-', 'COUNT', 1)
  if #prev > 0 then from = prev[1][1] end
end
for _, entry in ipairs(redis.call('XRANGE', KEYS[2], from, '+')) do
  table.insert(out, entry[1]); table.insert(out, entry[2][2])
end
return out`,
  parseCommand(parser, keys: readonly [string, string], since: number) {
    for (const key of keys) parser.pushKey(key);
    parser.push(String(since));
  },
  transformReply: (reply: unknown) => reply as unknown as string[],
});

/** The newest blocks holding at least `lines` lines: KEYS stream; ARGV lines. Newest first. */
const LOG_TAIL = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `local need = tonumber(ARGV[1])
local out, lines, to = {}, 0, '+'
while lines < need do
  local batch = redis.call('XREVRANGE', KEYS[1], to, '-', 'COUNT', 8)
  if #batch == 0 then break end
  for _, entry in ipairs(batch) do
    table.insert(out, entry[2][2])
    lines = lines + tonumber(entry[2][4])
    to = '(' .. entry[1]
    if lines >= need then break end
  end
end
return out`,
  parseCommand(parser, stream: string, lines: number) {
    parser.pushKey(stream);
    parser.push(String(lines));
  },
  transformReply: (reply: unknown) => reply as unknown as string[],
});

/** The cancel request of an active deployment: KEYS hash; ARGV 1 or 0. Returns 1 when noted. */
const DEPLOYMENT_CANCEL = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `if redis.call('HGET', KEYS[1], 'active') ~= '1' then return 0 end
redis.call('HSET', KEYS[1], 'cancel', ARGV[1])
return 1`,
  parseCommand(parser, hash: string, requested: boolean) {
    parser.pushKey(hash);
    parser.push(requested ? '1' : '0');
  },
  transformReply: (reply: unknown) => Number(reply),
});

/**
 * A release recorded: KEYS list (newest first, entries "<deployment id>\n<json>"), current; ARGV id, entry, ttl ms,
 * kept. Replaces an entry of the same deployment, keeps the newest `kept`, makes it current.
 */
const RELEASE_RECORD = defineScript({
  NUMBER_OF_KEYS: 2,
  SCRIPT: `local mark = ARGV[1] .. '\\n'
for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if string.sub(entry, 1, #mark) == mark then redis.call('LREM', KEYS[1], 0, entry) end
end
redis.call('LPUSH', KEYS[1], ARGV[2])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[4]) - 1)
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`,
  parseCommand(parser, keys: readonly [string, string], id: string, entry: string, ttlMs: number, kept: number) {
    for (const key of keys) parser.pushKey(key);
    parser.push(id, entry, String(ttlMs), String(kept));
  },
  transformReply: (reply: unknown) => Number(reply),
});

export const DEPLOYMENT_SCRIPTS = {
  deploymentWrite: DEPLOYMENT_WRITE,
  deploymentGet: DEPLOYMENT_GET,
  deploymentList: DEPLOYMENT_LIST,
  deploymentCancel: DEPLOYMENT_CANCEL,
  logRead: LOG_READ,
  logTail: LOG_TAIL,
  releaseRecord: RELEASE_RECORD,
};
