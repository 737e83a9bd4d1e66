/**
 * The Directory's Lua scripts (DESIGN.md "Atomicity": a nick claim, a
 * rename, a room join or leave are one Lua script each, so they are atomic
 * across nodes). Every script gets the key prefix as ARGV[1]; names arrive
 * already folded by core's `fold` (ASCII only), so Lua never folds.
 *
 * Keys, all under the prefix P:
 *   users               hash  folded nick -> user record (JSON)
 *   user-order          zset  folded nick, scored by claim (user-seq): listUsers in registration order
 *   node-users:<node>   set   folded nicks a node holds (reaping)
 *   user-rooms:<nick>   set   folded rooms a folded nick is in
 *   rooms               zset  folded room, scored by creation (listRooms order)
 *   room-seq            counter for `rooms` scores
 *   room:<room>         hash  name, visibility, persistent (0/1), seq (join counter)
 *   members:<room>      zset  folded nick, scored by the room's join counter (join order)
 *   names:<room>        hash  folded nick -> nick as joined
 *   seen, seen-seq      zset of folded nicks by claim counter, capped (welcome back)
 *   seen-addr           hash  folded nick -> last address
 *   leases              zset  node -> lease deadline, ms of the Redis clock
 *   reaped:<node>       string, with a TTL: the node was reaped, it learns so at its next renewal
 *
 * The keys a script touches derive from the prefix and from what it reads,
 * so this is for one Redis server (with replicas or Sentinel), not Redis
 * Cluster. Times come from Redis's own clock (TIME), so nodes' clocks need
 * not agree.
 */

// "Welcome back" memory, as core's MemoryDirectory: enough for a class, bounded for months of uptime.
export const SEEN_MAX = 10_000;
// How long a reaped node's marker lives: long enough for any partition to heal, bounded for nodes that never return.
export const REAPED_TTL_MS = 24 * 3600_000;

const HELPERS = `
local P = ARGV[1]

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function room_record(r)
  local f = redis.call('HMGET', P .. 'room:' .. r, 'name', 'visibility', 'persistent')
  if not f[1] then return false end
  return { f[1], f[2], tonumber(f[3]), redis.call('ZCARD', P .. 'members:' .. r) }
end

local function create_room(r, name, persistent)
  redis.call('HSET', P .. 'room:' .. r, 'name', name, 'visibility', 'public', 'persistent', persistent)
  redis.call('ZADD', P .. 'rooms', redis.call('INCR', P .. 'room-seq'), r)
end

local function drop_room_if_empty(r)
  if redis.call('ZCARD', P .. 'members:' .. r) > 0 then return 0 end
  if redis.call('HGET', P .. 'room:' .. r, 'persistent') == '1' then return 0 end
  redis.call('DEL', P .. 'room:' .. r, P .. 'members:' .. r, P .. 'names:' .. r)
  redis.call('ZREM', P .. 'rooms', r)
  return 1
end

local function remove_member(r, nick)
  redis.call('HDEL', P .. 'names:' .. r, nick)
  redis.call('SREM', P .. 'user-rooms:' .. nick, r)
  return redis.call('ZREM', P .. 'members:' .. r, nick)
end

local function remember(nick, address)
  redis.call('ZADD', P .. 'seen', redis.call('INCR', P .. 'seen-seq'), nick)
  redis.call('HSET', P .. 'seen-addr', nick, address)
  local over = redis.call('ZCARD', P .. 'seen') - ${SEEN_MAX}
  if over > 0 then
    for _, old in ipairs(redis.call('ZRANGE', P .. 'seen', 0, over - 1)) do redis.call('HDEL', P .. 'seen-addr', old) end
    redis.call('ZREMRANGEBYRANK', P .. 'seen', 0, over - 1)
  end
end

local function add_user(nick, raw, node, address)
  redis.call('HSET', P .. 'users', nick, raw)
  redis.call('ZADD', P .. 'user-order', redis.call('INCR', P .. 'user-seq'), nick)
  redis.call('SADD', P .. 'node-users:' .. node, nick)
  remember(nick, address)
end

-- Drops a session's claim and its memberships: { record JSON, room names... }, or false when it is not the holder.
local function release(nick, session)
  local raw = redis.call('HGET', P .. 'users', nick)
  if not raw then return false end
  local rec = cjson.decode(raw)
  if rec.session ~= session then return false end
  redis.call('HDEL', P .. 'users', nick)
  redis.call('ZREM', P .. 'user-order', nick)
  redis.call('SREM', P .. 'node-users:' .. rec.node, nick)
  local out = { raw }
  for _, r in ipairs(redis.call('SMEMBERS', P .. 'user-rooms:' .. nick)) do
    local name = redis.call('HGET', P .. 'room:' .. r, 'name')
    remove_member(r, nick)
    if name then
      out[#out + 1] = name
      drop_room_if_empty(r)
    end
  end
  redis.call('DEL', P .. 'user-rooms:' .. nick)
  return out
end
`;

/** ARGV: P, nick (folded), record JSON, node, address → 1 claimed, 0 taken. */
const claim = `
local nick = ARGV[2]
if redis.call('HEXISTS', P .. 'users', nick) == 1 then return 0 end
add_user(nick, ARGV[3], ARGV[4], ARGV[5])
return 1
`;

/** ARGV: P, session, from (folded), to (folded), to as displayed → 1 renamed, 0 taken or not the holder. */
const rename = `
local from, to, display = ARGV[3], ARGV[4], ARGV[5]
local raw = redis.call('HGET', P .. 'users', from)
if not raw then return 0 end
local rec = cjson.decode(raw)
if rec.session ~= ARGV[2] then return 0 end
if to ~= from and redis.call('HEXISTS', P .. 'users', to) == 1 then return 0 end
rec.nick = display
redis.call('HDEL', P .. 'users', from)
redis.call('ZREM', P .. 'user-order', from)
redis.call('SREM', P .. 'node-users:' .. rec.node, from)
-- Listed after the others from now on, as the in-process Directory does.
add_user(to, cjson.encode(rec), rec.node, rec.address)
for _, r in ipairs(redis.call('SMEMBERS', P .. 'user-rooms:' .. from)) do
  -- Same score: the new nick keeps the old one's place in join order.
  local score = redis.call('ZSCORE', P .. 'members:' .. r, from)
  if score then
    redis.call('ZREM', P .. 'members:' .. r, from)
    redis.call('ZADD', P .. 'members:' .. r, score, to)
    redis.call('HDEL', P .. 'names:' .. r, from)
    redis.call('HSET', P .. 'names:' .. r, to, display)
  end
end
if to ~= from and redis.call('EXISTS', P .. 'user-rooms:' .. from) == 1 then
  redis.call('RENAME', P .. 'user-rooms:' .. from, P .. 'user-rooms:' .. to)
end
return 1
`;

/** ARGV: P, session, nick (folded) → the names of the rooms it was in. */
const releaseNick = `
local out = release(ARGV[3], ARGV[2])
if not out then return {} end
table.remove(out, 1)
return out
`;

/** ARGV: P, room (folded), room as named, nick (folded), nick as displayed → room record + created, already. */
const join = `
local r, nick = ARGV[2], ARGV[4]
local created, already = 0, 1
if redis.call('EXISTS', P .. 'room:' .. r) == 0 then
  create_room(r, ARGV[3], '0')
  created = 1
end
if not redis.call('ZSCORE', P .. 'members:' .. r, nick) then
  already = 0
  redis.call('ZADD', P .. 'members:' .. r, redis.call('HINCRBY', P .. 'room:' .. r, 'seq', 1), nick)
  redis.call('HSET', P .. 'names:' .. r, nick, ARGV[5])
  redis.call('SADD', P .. 'user-rooms:' .. nick, r)
end
local rec = room_record(r)
rec[5], rec[6] = created, already
return rec
`;

/** ARGV: P, room (folded), nick (folded) → room record + deleted, wasMember; nil when no such room. */
const leave = `
local r = ARGV[2]
if redis.call('EXISTS', P .. 'room:' .. r) == 0 then return false end
local was = remove_member(r, ARGV[3])
local rec = room_record(r)
rec[5], rec[6] = drop_room_if_empty(r), was
return rec
`;

/** ARGV: P, room (folded), visibility → room record; nil when no such room. */
const visibility = `
local r = ARGV[2]
if redis.call('EXISTS', P .. 'room:' .. r) == 0 then return false end
redis.call('HSET', P .. 'room:' .. r, 'visibility', ARGV[3])
return room_record(r)
`;

/** ARGV: P, then room (folded), room as named, pairs: each made persistent, created when absent. */
const ensureRooms = `
for i = 2, #ARGV, 2 do
  if redis.call('EXISTS', P .. 'room:' .. ARGV[i]) == 1 then
    redis.call('HSET', P .. 'room:' .. ARGV[i], 'persistent', '1')
  else
    create_room(ARGV[i], ARGV[i + 1], '1')
  end
end
return 1
`;

/** ARGV: P → every user record (JSON), in registration order. */
const listUsers = `
local out = {}
for _, nick in ipairs(redis.call('ZRANGE', P .. 'user-order', 0, -1)) do
  local raw = redis.call('HGET', P .. 'users', nick)
  if raw then out[#out + 1] = raw end
end
return out
`;

/** ARGV: P, room (folded) → room record or nil. */
const getRoom = `return room_record(ARGV[2])`;

/** ARGV: P → every room record, in creation order. */
const listRooms = `
local out = {}
for _, r in ipairs(redis.call('ZRANGE', P .. 'rooms', 0, -1)) do
  local rec = room_record(r)
  if rec then out[#out + 1] = rec end
end
return out
`;

/** ARGV: P, room (folded), last rank (-1: all) → member nicks as joined, in join order. */
const members = `
local out = {}
for i, nick in ipairs(redis.call('ZRANGE', P .. 'members:' .. ARGV[2], 0, ARGV[3])) do
  out[i] = redis.call('HGET', P .. 'names:' .. ARGV[2], nick) or nick
end
return out
`;

/** ARGV: P, node, ttl ms → 'held' | 'new' | 'reaped'. */
const renewLease = `
local node = ARGV[2]
local had = redis.call('ZSCORE', P .. 'leases', node)
redis.call('ZADD', P .. 'leases', now_ms() + tonumber(ARGV[3]), node)
if redis.call('DEL', P .. 'reaped:' .. node) == 1 then return 'reaped' end
if had then return 'held' end
return 'new'
`;

/**
 * ARGV: P → { { record JSON, room names... }, ... }: every user of every
 * node whose lease lapsed, released here, once: the script is atomic, so
 * of several nodes reaping at once exactly one gets each user.
 */
const reapLapsed = `
local out = {}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', P .. 'leases', '-inf', now_ms())) do
  redis.call('ZREM', P .. 'leases', node)
  redis.call('SET', P .. 'reaped:' .. node, '1', 'PX', ${REAPED_TTL_MS})
  for _, nick in ipairs(redis.call('SMEMBERS', P .. 'node-users:' .. node)) do
    local raw = redis.call('HGET', P .. 'users', nick)
    local rec = raw and cjson.decode(raw)
    -- Only what this node still holds: a nick it gave up may belong to another node by now.
    if rec and rec.node == node then out[#out + 1] = release(nick, rec.session) end
  end
  redis.call('DEL', P .. 'node-users:' .. node)
end
return out
`;

const BODIES = { claim, rename, releaseNick, listUsers, join, leave, visibility, ensureRooms, getRoom, listRooms, members, renewLease, reapLapsed };

export type ScriptName = keyof typeof BODIES;

/** Each script's full Lua source: the shared helpers, then its body. */
export const SCRIPTS: Readonly<Record<ScriptName, string>> = Object.freeze(
  Object.fromEntries(Object.entries(BODIES).map(([name, body]) => [name, HELPERS + body])) as Record<ScriptName, string>,
);
