import { Redis } from "ioredis";
import type { TicketMatch, TicketStatus } from "../protocol/matchmaker.ts";
import type { PairingTicket } from "./pairing.ts";
import {
  type CancelOutcome,
  type ClaimRequest,
  FINISHED_TICKET_RETAIN_MS,
  type NewTicket,
  type QueueLease,
  type QueueStore,
  type StoredTicket,
} from "./store.ts";

// Keys, all under one prefix: t:<id> ticket hash, p:<player> the player's latest ticket id, q:<queue> queued ids by
// order, qd:<queue> what the pass matches on (order included, so a pass reads one hash), qs:<queue> and ql:<queue>
// the sequence and log of qd's changes (below), cl claimed ids → claim id, c:<queue> claimed ids by claim time,
// queues, counts, lease:<queue>. A ticket's `status` field is "queued" while it is live; it is being matched while it
// is in `cl`. The scripts build keys from the prefix, so the store needs a single Redis (not a cluster).
//
// The change log: every script that writes qd:<queue> increments qs:<queue> once and adds one stream entry with that
// number as its id (<seq>-0) to ql:<queue>, whose fields are '+<id>' → pairing JSON for a ticket (re)queued and
// '-' → id for one that left. The pass keeps the queue in memory and reads only the entries after the last one it
// applied; the log is trimmed to about LOG_KEEP entries, and a reader that finds a gap reads the whole hash again.
// qe:<queue> is the Redis time the sequence began at: a Redis that lost its data starts a new one, which a reader
// tells apart from the old even once the new sequence has passed the old number.

/**
 * Change-log entries kept per queue (5 000 enqueues take about 1.3 MB): many passes' worth of changes, so a holder's
 * copy rarely has to be read whole again.
 */
const LOG_KEEP = 5_000;

const COMMON = `
local P = ARGV[1]
local CL = P .. 'cl'
local logged = {}
local function logChange(queue, field, value)
  local entry = logged[queue]
  if not entry then
    entry = {}
    logged[queue] = entry
  end
  entry[#entry + 1] = field
  entry[#entry + 1] = value
end
local function flushLog()
  for queue, entry in pairs(logged) do
    local seq = redis.call('INCR', P .. 'qs:' .. queue)
    if seq == 1 then
      -- A new sequence (the old one's key was lost): an old log would refuse its ids, and means nothing to it.
      redis.call('DEL', P .. 'ql:' .. queue)
      local time = redis.call('TIME')
      redis.call('SET', P .. 'qe:' .. queue, time[1] .. '.' .. time[2])
    end
    redis.call('XADD', P .. 'ql:' .. queue, 'MAXLEN', '~', ${LOG_KEEP}, seq .. '-0', unpack(entry))
  end
end
local function finish(id, status, field, value)
  local t = P .. 't:' .. id
  local player = redis.call('HGET', t, 'player')
  redis.call('HDEL', CL, id)
  redis.call('HSET', t, 'status', status)
  if field then redis.call('HSET', t, field, value) end
  redis.call('PEXPIRE', t, ${FINISHED_TICKET_RETAIN_MS})
  if player then redis.call('PEXPIRE', P .. 'p:' .. player, ${FINISHED_TICKET_RETAIN_MS}) end
end
local function unqueue(queue, id)
  redis.call('ZREM', P .. 'q:' .. queue, id)
  redis.call('HDEL', P .. 'qd:' .. queue, id)
  logChange(queue, '-', id)
  redis.call('HINCRBY', P .. 'counts', redis.call('HGET', P .. 't:' .. id, 'countKey'), -1)
end
local function requeueFront(queue, id)
  local t = P .. 't:' .. id
  local q = P .. 'q:' .. queue
  local first = redis.call('ZRANGE', q, 0, 0, 'WITHSCORES')
  local score = tonumber(redis.call('HGET', t, 'queuedAt'))
  if first[2] then score = math.min(score, tonumber(first[2])) - 1 end
  redis.call('ZADD', q, score, id)
  local pairing = cjson.decode(redis.call('HGET', t, 'pairing'))
  pairing.o = score
  local encoded = cjson.encode(pairing)
  redis.call('HSET', P .. 'qd:' .. queue, id, encoded)
  logChange(queue, '+' .. id, encoded)
  redis.call('HINCRBY', P .. 'counts', redis.call('HGET', t, 'countKey'), 1)
  redis.call('ZREM', P .. 'c:' .. queue, id)
  redis.call('HDEL', CL, id)
end
`;

const ENQUEUE = `${COMMON}
local id, player, queue = ARGV[2], ARGV[3], ARGV[4]
local current = redis.call('GET', P .. 'p:' .. player)
if current and redis.call('HGET', P .. 't:' .. current, 'status') == 'queued' then return current end
local t = P .. 't:' .. id
for i = 5, #ARGV, 2 do redis.call('HSET', t, ARGV[i], ARGV[i + 1]) end
redis.call('HSET', t, 'status', 'queued')
redis.call('PERSIST', t)
redis.call('SET', P .. 'p:' .. player, id)
redis.call('ZADD', P .. 'q:' .. queue, redis.call('HGET', t, 'queuedAt'), id)
local pairing = redis.call('HGET', t, 'pairing')
redis.call('HSET', P .. 'qd:' .. queue, id, pairing)
logChange(queue, '+' .. id, pairing)
redis.call('SADD', P .. 'queues', queue)
redis.call('HINCRBY', P .. 'counts', redis.call('HGET', t, 'countKey'), 1)
flushLog()
return false
`;

const CANCEL = `${COMMON}
local id, player = ARGV[2], ARGV[3]
local t = P .. 't:' .. id
local fields = redis.call('HMGET', t, 'player', 'status', 'queue')
if not fields[1] then return 'NO_TICKET' end
if fields[1] ~= player then return 'NOT_YOUR_TICKET' end
if fields[2] ~= 'queued' then return 'TICKET_CLOSED' end
if redis.call('HEXISTS', CL, id) == 1 then
  redis.call('ZREM', P .. 'c:' .. fields[3], id)
else
  unqueue(fields[3], id)
end
finish(id, 'cancelled', nil, nil)
flushLog()
return 'cancelled'
`;

// ARGV: prefix, queue, now, then (claimId, a, b, a's home, b's home) per pair ('' for a home not known). Returns
// one 0/1 per pair, then the ids found not queued (the caller's copy of the queue drops them). Both tickets of a pair
// must still be queued; the writes for every claimed ticket are then done in a few variadic calls.
const CLAIM = `${COMMON}
local queue, now = ARGV[2], ARGV[3]
local q = P .. 'q:' .. queue
local results, ids, claims, claimed, decrements, taken, gone = {}, {}, {}, {}, {}, {}, {}
for i = 4, #ARGV, 5 do
  local claim, a, b = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local ok = 0
  local queued = true
  for _, id in ipairs({ a, b }) do
    if not taken[id] and not redis.call('ZSCORE', q, id) then
      gone[#gone + 1] = id
      queued = false
    end
  end
  if queued and a ~= b and not taken[a] and not taken[b] then
    for k, id in ipairs({ a, b }) do
      taken[id] = true
      ids[#ids + 1] = id
      claims[#claims + 1] = id
      claims[#claims + 1] = claim
      claimed[#claimed + 1] = now
      claimed[#claimed + 1] = id
      local home = ARGV[i + 2 + k]
      local key = home ~= '' and (queue .. '|' .. home) or redis.call('HGET', P .. 't:' .. id, 'countKey')
      decrements[key] = (decrements[key] or 0) - 1
    end
    ok = 1
  end
  results[#results + 1] = ok
end
if #ids > 0 then
  redis.call('ZREM', q, unpack(ids))
  redis.call('HDEL', P .. 'qd:' .. queue, unpack(ids))
  for _, id in ipairs(ids) do logChange(queue, '-', id) end
  redis.call('HSET', CL, unpack(claims))
  redis.call('ZADD', P .. 'c:' .. queue, unpack(claimed))
  for key, delta in pairs(decrements) do redis.call('HINCRBY', P .. 'counts', key, delta) end
  flushLog()
end
return { results, gone }
`;

// ARGV: prefix, claimId, then (ticketId, matchJson) pairs.
const COMMIT = `${COMMON}
local claim = ARGV[2]
for i = 3, #ARGV, 2 do
  if redis.call('HGET', CL, ARGV[i]) ~= claim then return 0 end
end
for i = 3, #ARGV, 2 do
  local id = ARGV[i]
  redis.call('ZREM', P .. 'c:' .. redis.call('HGET', P .. 't:' .. id, 'queue'), id)
  finish(id, 'matched', 'match', ARGV[i + 1])
end
return 1
`;

// ARGV: prefix, ticketId, claimId, 'requeue' | 'drop', reasonJson.
const RELEASE = `${COMMON}
local id, claim, action, reason = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local t = P .. 't:' .. id
if redis.call('HGET', CL, id) ~= claim then return 0 end
local queue = redis.call('HGET', t, 'queue')
if reason ~= '' then redis.call('HSET', t, 'reason', reason) end
if action == 'requeue' then
  requeueFront(queue, id)
else
  redis.call('ZREM', P .. 'c:' .. queue, id)
  finish(id, 'dropped', nil, nil)
end
flushLog()
return 1
`;

// ARGV: prefix, queue, now, ids...
const EXPIRE = `${COMMON}
local queue, now = ARGV[2], tonumber(ARGV[3])
local q = P .. 'q:' .. queue
local expired = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local expiresAt = redis.call('HGET', P .. 't:' .. id, 'expiresAt')
  if redis.call('ZSCORE', q, id) and expiresAt and tonumber(expiresAt) <= now then
    unqueue(queue, id)
    finish(id, 'expired', nil, nil)
    expired[#expired + 1] = id
  end
end
flushLog()
return expired
`;

// ARGV: prefix, queue, claimedBefore
const RECOVER = `${COMMON}
local queue = ARGV[2]
local stale = redis.call('ZRANGEBYSCORE', P .. 'c:' .. queue, '-inf', ARGV[3], 'LIMIT', 0, 1000)
for _, id in ipairs(stale) do
  if redis.call('HEXISTS', CL, id) == 1 then
    redis.call('HSET', P .. 't:' .. id, 'reason', cjson.encode({ code = 'PLACEMENT_LOST', message = 'the node placing your match stopped: you are back at the front of the queue' }))
    requeueFront(queue, id)
  else
    redis.call('ZREM', P .. 'c:' .. queue, id)
  end
end
flushLog()
return #stale
`;

const HOLD_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

interface Scripts {
  mmEnqueue(...args: string[]): Promise<string | null>;
  mmCancel(...args: string[]): Promise<string>;
  mmClaim(...args: string[]): Promise<[number[], string[]]>;
  mmCommit(...args: string[]): Promise<number>;
  mmRelease(...args: string[]): Promise<number>;
  mmExpire(...args: string[]): Promise<string[]>;
  mmRecover(...args: string[]): Promise<number>;
  mmHoldLease(key: string, holder: string, leaseMs: string): Promise<number>;
  mmReleaseLease(key: string, holder: string): Promise<number>;
}

type ScriptedRedis = Redis & Scripts;

/** Pairs claimed per script call: large enough to amortise the round trip, small enough not to stall Redis. */
const CLAIM_BATCH = 500;

function connect(url: string): ScriptedRedis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 }) as ScriptedRedis;
  redis.on("error", () => {});
  const scripts: [keyof Scripts, string, number][] = [
    ["mmEnqueue", ENQUEUE, 0],
    ["mmCancel", CANCEL, 0],
    ["mmClaim", CLAIM, 0],
    ["mmCommit", COMMIT, 0],
    ["mmRelease", RELEASE, 0],
    ["mmExpire", EXPIRE, 0],
    ["mmRecover", RECOVER, 0],
    ["mmHoldLease", HOLD_LEASE, 1],
    ["mmReleaseLease", RELEASE_LEASE, 1],
  ];
  for (const [name, lua, numberOfKeys] of scripts) redis.defineCommand(name, { lua, numberOfKeys });
  return redis;
}

interface PairingFields {
  p: string;
  m: number;
  c: number;
  e: number;
  /** Queue order: the enqueue time, or a smaller number for a ticket put back at the front. */
  o: number;
  /** The player's nearest region. */
  h: string;
  r: Record<string, number>;
}

function pairingTicket(ticketId: string, json: string): PairingTicket {
  const fields = JSON.parse(json) as PairingFields;
  return {
    ticketId,
    playerId: fields.p,
    mu: fields.m,
    queuedAtMs: fields.c,
    expiresAtMs: fields.e,
    order: fields.o,
    rttsMs: fields.r,
    homeRegion: fields.h,
  };
}

/** A pass's copy of one queue: qd:<queue> as it was after log entry `seq`. */
interface QueueCopy {
  epoch: string | null;
  seq: number;
  tickets: Map<string, PairingTicket>;
}

type Replies = [Error | null, unknown][] | null;

function replies(results: Replies): unknown[] {
  if (!results) throw new Error("the queue read was aborted");
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

export class RedisQueueStore implements QueueStore {
  readonly #redis: ScriptedRedis;
  readonly #prefix: string;
  readonly #copies = new Map<string, QueueCopy>();

  constructor(url: string, prefix: string) {
    this.#redis = connect(url);
    this.#prefix = prefix;
  }

  async enqueue(ticket: NewTicket): Promise<{ ok: true } | { ok: false; liveTicketId: string }> {
    const pairing: PairingFields = {
      p: ticket.playerId,
      m: ticket.mu,
      c: ticket.queuedAtMs,
      e: ticket.expiresAtMs,
      o: ticket.queuedAtMs,
      h: ticket.homeRegion,
      r: ticket.rttsMs,
    };
    const fields: Record<string, string> = {
      player: ticket.playerId,
      name: ticket.displayName,
      queue: ticket.queue,
      stake: ticket.stakeMinor.toString(),
      mu: String(ticket.mu),
      rtts: JSON.stringify(ticket.rttsMs),
      home: ticket.homeRegion,
      queuedAt: String(ticket.queuedAtMs),
      expiresAt: String(ticket.expiresAtMs),
      pairing: JSON.stringify(pairing),
      countKey: `${ticket.queue}|${ticket.homeRegion}`,
      match: "",
      reason: "",
    };
    const live = await this.#redis.mmEnqueue(
      this.#prefix,
      ticket.ticketId,
      ticket.playerId,
      ticket.queue,
      ...Object.entries(fields).flat(),
    );
    return live ? { ok: false, liveTicketId: live } : { ok: true };
  }

  async latestTicketOf(playerId: string): Promise<StoredTicket | undefined> {
    const id = await this.#redis.get(`${this.#prefix}p:${playerId}`);
    return id ? this.ticket(id) : undefined;
  }

  async ticket(ticketId: string): Promise<StoredTicket | undefined> {
    const [h, claimId] = await Promise.all([
      this.#redis.hgetall(`${this.#prefix}t:${ticketId}`),
      this.#redis.hget(`${this.#prefix}cl`, ticketId),
    ]);
    if (!h.player) return undefined;
    const live = h.status === "queued";
    return {
      ticketId,
      playerId: h.player,
      displayName: h.name ?? "",
      queue: h.queue ?? "",
      stakeMinor: BigInt(h.stake ?? "0"),
      mu: Number(h.mu),
      rttsMs: JSON.parse(h.rtts ?? "{}") as Record<string, number>,
      homeRegion: h.home ?? "",
      queuedAtMs: Number(h.queuedAt),
      expiresAtMs: Number(h.expiresAt),
      status: live && claimId ? "matching" : (h.status as TicketStatus),
      claimId: live && claimId ? claimId : null,
      match: h.match ? (JSON.parse(h.match) as TicketMatch) : null,
      reason: h.reason ? (JSON.parse(h.reason) as { code: string; message: string }) : null,
    };
  }

  async cancel(ticketId: string, playerId: string): Promise<CancelOutcome> {
    return (await this.#redis.mmCancel(this.#prefix, ticketId, playerId)) as CancelOutcome;
  }

  async position(ticket: StoredTicket): Promise<number | null> {
    return this.#redis.zrank(`${this.#prefix}q:${ticket.queue}`, ticket.ticketId);
  }

  async queues(): Promise<string[]> {
    return this.#redis.smembers(`${this.#prefix}queues`);
  }

  /**
   * The queue's tickets from this node's copy, brought up to date by the log entries added since it was last read.
   * The whole hash is read instead when there is no copy, when the log no longer reaches back to it (trimmed, or
   * Redis restarted and its sequence began again) or when the copy and the hash hold different counts. A stale
   * copy could only propose pairs the claim then refuses: the claim checks both tickets in Redis.
   */
  async load(queue: string): Promise<PairingTicket[]> {
    const copy = this.#copies.get(queue);
    if (copy && (await this.#catchUp(queue, copy))) return [...copy.tickets.values()];
    const [epoch, seq, data] = replies(
      await this.#redis
        .multi()
        .get(`${this.#prefix}qe:${queue}`)
        .get(`${this.#prefix}qs:${queue}`)
        .hgetall(`${this.#prefix}qd:${queue}`)
        .exec(),
    ) as [string | null, string | null, Record<string, string>];
    const tickets = new Map<string, PairingTicket>();
    for (const ticketId in data) tickets.set(ticketId, pairingTicket(ticketId, data[ticketId]!));
    this.#copies.set(queue, { epoch, seq: Number(seq ?? 0), tickets });
    return [...tickets.values()];
  }

  /** Applies the log entries after the copy's; false when the log cannot bring it up to date. */
  async #catchUp(queue: string, copy: QueueCopy): Promise<boolean> {
    const [epoch, seqText, size, entries] = replies(
      await this.#redis
        .multi()
        .get(`${this.#prefix}qe:${queue}`)
        .get(`${this.#prefix}qs:${queue}`)
        .hlen(`${this.#prefix}qd:${queue}`)
        .xrange(`${this.#prefix}ql:${queue}`, `${copy.seq + 1}-0`, "+")
        .exec(),
    ) as [string | null, string | null, number, [string, string[]][]];
    const seq = Number(seqText ?? 0);
    if (epoch !== copy.epoch || seq < copy.seq) return false;
    if (seq > copy.seq && (entries[0]?.[0] !== `${copy.seq + 1}-0` || entries.at(-1)?.[0] !== `${seq}-0`)) {
      return false;
    }
    for (const [, fields] of entries) {
      for (let i = 0; i < fields.length; i += 2) {
        const field = fields[i]!;
        const value = fields[i + 1]!;
        if (field === "-") copy.tickets.delete(value);
        else copy.tickets.set(field.slice(1), pairingTicket(field.slice(1), value));
      }
    }
    copy.seq = seq;
    return copy.tickets.size === size;
  }

  forget(queue: string): void {
    this.#copies.delete(queue);
  }

  async claim(queue: string, pairs: readonly ClaimRequest[], nowMs: number): Promise<boolean[]> {
    const batches: Promise<[number[], string[]]>[] = [];
    for (let start = 0; start < pairs.length; start += CLAIM_BATCH) {
      const args = pairs
        .slice(start, start + CLAIM_BATCH)
        .flatMap((pair) => [pair.claimId, pair.a, pair.b, pair.homes?.[0] ?? "", pair.homes?.[1] ?? ""]);
      batches.push(this.#redis.mmClaim(this.#prefix, queue, String(nowMs), ...args));
    }
    const answers = await Promise.all(batches);
    const copy = this.#copies.get(queue);
    for (const [, gone] of answers) for (const id of gone) copy?.tickets.delete(id);
    return answers.flatMap(([flags]) => flags.map((flag) => flag === 1));
  }

  async commit(claimId: string, matches: readonly { ticketId: string; match: TicketMatch }[]): Promise<boolean> {
    const args = matches.flatMap(({ ticketId, match }) => [ticketId, JSON.stringify(match)]);
    return (await this.#redis.mmCommit(this.#prefix, claimId, ...args)) === 1;
  }

  async release(
    ticketId: string,
    claimId: string,
    outcome:
      | { requeue: true; reason?: { code: string; message: string } }
      | { drop: { code: string; message: string } },
  ): Promise<boolean> {
    const action = "drop" in outcome ? "drop" : "requeue";
    const reason = "drop" in outcome ? outcome.drop : outcome.reason;
    const released = await this.#redis.mmRelease(
      this.#prefix,
      ticketId,
      claimId,
      action,
      reason ? JSON.stringify(reason) : "",
    );
    return released === 1;
  }

  async expire(queue: string, ticketIds: readonly string[], nowMs: number): Promise<string[]> {
    const expired: string[] = [];
    for (let start = 0; start < ticketIds.length; start += CLAIM_BATCH) {
      const batch = ticketIds.slice(start, start + CLAIM_BATCH);
      expired.push(...(await this.#redis.mmExpire(this.#prefix, queue, String(nowMs), ...batch)));
    }
    return expired;
  }

  async recoverStaleClaims(queue: string, olderThanMs: number): Promise<number> {
    return this.#redis.mmRecover(this.#prefix, queue, String(Date.now() - olderThanMs));
  }

  async counts(): Promise<Map<string, number>> {
    const raw = await this.#redis.hgetall(`${this.#prefix}counts`);
    return new Map(Object.entries(raw).map(([key, value]) => [key, Number(value)]));
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }

  /** The lease on each queue's pass, in the same Redis. */
  lease(holder: string, leaseMs: number): QueueLease {
    const key = (queue: string) => `${this.#prefix}lease:${queue}`;
    return {
      hold: async (queue) => (await this.#redis.mmHoldLease(key(queue), holder, String(leaseMs))) === 1,
      release: async (queue) => {
        await this.#redis.mmReleaseLease(key(queue), holder);
      },
    };
  }
}
