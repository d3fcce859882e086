import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Matchmaker } from "../../matchmaker/matchmaker.ts";
import type { PairingTicket } from "../../matchmaker/pairing.ts";
import { RedisQueueStore } from "../../matchmaker/redis-store.ts";
import type { NewTicket, QueueLease } from "../../matchmaker/store.ts";
import { DEFAULT_WIDENING } from "../../matchmaker/widening.ts";
import { seededUniform } from "../../simulation/rng/index.ts";
import { createLogger } from "../../src/logging.ts";
import { REDIS_TEST_URL, redisAvailable } from "../support/services.ts";

// The lease holder keeps its queue in memory between passes and reads only the queue's change log since its last
// read. Each case here compares what it sees with a fresh read of the whole queue, or with what a pass does with it.

const hasRedis = await redisAvailable();
const QUEUE = "pool:low";
const REGIONS = ["eu"];
const TTL_MS = 60_000;

function ticket(playerId: string, queuedAtMs: number, mu = 25): NewTicket {
  return {
    ticketId: randomUUID(),
    playerId,
    displayName: playerId,
    queue: QUEUE,
    stakeMinor: 1_000n,
    mu,
    rttsMs: { eu: 30 },
    homeRegion: "eu",
    queuedAtMs,
    expiresAtMs: queuedAtMs + TTL_MS,
  };
}

const view = (tickets: readonly PairingTicket[]) =>
  tickets.map((t) => `${t.ticketId} ${t.order} ${t.mu}`).sort((x, y) => (x < y ? -1 : 1));

describe.skipIf(!hasRedis)("incremental pass over a Redis queue", () => {
  const root = `mminc:${randomUUID().slice(0, 8)}:`;
  let admin: Redis;
  let prefix = root;
  const opened: RedisQueueStore[] = [];
  const open = () => {
    const store = new RedisQueueStore(REDIS_TEST_URL, prefix);
    opened.push(store);
    return store;
  };
  /** The whole queue as a node with no copy reads it. */
  const truth = async () => {
    const fresh = open();
    return view(await fresh.load(QUEUE));
  };

  beforeAll(() => {
    admin = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    const keys = await admin.keys(`${root}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it("a holder's copy follows every change another node makes between its reads (generated, seeded)", async () => {
    prefix = `${root}gen:`;
    const holder = open();
    const other = open();
    const random = seededUniform(41);
    const base = Date.now() - 30_000;
    const queued: NewTicket[] = [];
    const claims: { claimId: string; ids: [string, string] }[] = [];
    let players = 0;
    for (let step = 0; step < 300; step++) {
      const roll = random();
      if (roll < 0.35 || queued.length < 2) {
        const t = ticket(`g${players++}`, base + Math.floor(random() * 30_000), 10 + random() * 30);
        await other.enqueue(t);
        queued.push(t);
      } else if (roll < 0.45) {
        const [t] = queued.splice(Math.floor(random() * queued.length), 1);
        expect(await other.cancel(t!.ticketId, t!.playerId)).toBe("cancelled");
      } else if (roll < 0.55) {
        const [t] = queued.splice(Math.floor(random() * queued.length), 1);
        expect(await other.expire(QUEUE, [t!.ticketId], t!.expiresAtMs)).toEqual([t!.ticketId]);
      } else if (roll < 0.75) {
        const [a] = queued.splice(Math.floor(random() * queued.length), 1);
        const [b] = queued.splice(Math.floor(random() * queued.length), 1);
        const claimId = randomUUID();
        // Claimed by the holder itself or by another node that held the lease for a while.
        const by = random() < 0.5 ? holder : other;
        expect(await by.claim(QUEUE, [{ claimId, a: a!.ticketId, b: b!.ticketId }], base)).toEqual([true]);
        claims.push({ claimId, ids: [a!.ticketId, b!.ticketId] });
      } else if (roll < 0.9 && claims.length > 0) {
        // A claim ends: both back to the front (placement failed), one dropped and one back, or matched.
        const { claimId, ids } = claims.splice(Math.floor(random() * claims.length), 1)[0]!;
        const ending = random();
        if (ending < 0.4) {
          for (const id of ids) await other.release(id, claimId, { requeue: true });
        } else if (ending < 0.7) {
          await other.release(ids[0], claimId, { drop: { code: "INSUFFICIENT_FUNDS", message: "x" } });
          await other.release(ids[1], claimId, { requeue: true });
        } else {
          const match = { roomId: claimId } as never;
          expect(
            await other.commit(
              claimId,
              ids.map((ticketId) => ({ ticketId, match })),
            ),
          ).toBe(true);
        }
        for (const [i, id] of ids.entries()) {
          const stored = (await other.ticket(id))!;
          if (stored.status === "queued") queued.push({ ...stored, ticketId: ids[i]! });
        }
      }
      if (random() < 0.3) expect(view(await holder.load(QUEUE))).toEqual(await truth());
    }
    expect(view(await holder.load(QUEUE))).toEqual(await truth());
    expect((await holder.load(QUEUE)).length).toBe(queued.length);
    // The holder reads only the log: a write to the queue's hash that bypassed it stays out of the copy, while a
    // cancel and a new ticket after it come in.
    const [probe, leaving] = [queued[0]!, queued[1]!];
    const raw = JSON.parse((await admin.hget(`${prefix}qd:${QUEUE}`, probe.ticketId))!) as { m: number };
    await admin.hset(`${prefix}qd:${QUEUE}`, probe.ticketId, JSON.stringify({ ...raw, m: 999 }));
    await other.cancel(leaving.ticketId, leaving.playerId);
    const arriving = ticket("last", base);
    await other.enqueue(arriving);
    const copy = await holder.load(QUEUE);
    expect(copy.find((t) => t.ticketId === probe.ticketId)!.mu).toBe(raw.m);
    expect(copy.map((t) => t.ticketId)).toContain(arriving.ticketId);
    expect(copy.map((t) => t.ticketId)).not.toContain(leaving.ticketId);
    expect((await open().load(QUEUE)).find((t) => t.ticketId === probe.ticketId)!.mu).toBe(999);
  });

  it("reads the whole queue again when the log was trimmed past its copy, or Redis lost its data", async () => {
    prefix = `${root}gap:`;
    const holder = open();
    const other = open();
    const now = Date.now();
    for (let i = 0; i < 3; i++) await other.enqueue(ticket(`gap${i}`, now + i));
    expect((await holder.load(QUEUE)).length).toBe(3);

    // Trimmed: the entries after the copy's are gone.
    await other.enqueue(ticket("gap3", now + 3));
    await admin.xtrim(`${prefix}ql:${QUEUE}`, "MAXLEN", 0);
    await other.enqueue(ticket("gap4", now + 4));
    expect(view(await holder.load(QUEUE))).toEqual(await truth());
    expect((await holder.load(QUEUE)).length).toBe(5);

    // Redis restarted empty, and by the holder's next read the new sequence has passed the copy's with as many
    // tickets queued as the copy would count after applying the new entries on top of its stale ones.
    const keys = await admin.keys(`${prefix}*`);
    await admin.del(...keys);
    const fresh: NewTicket[] = [];
    for (let i = 0; i < 7; i++) {
      const t = ticket(`after${i}`, now + 10 + i);
      await other.enqueue(t);
      fresh.push(t);
    }
    expect(Number(await admin.get(`${prefix}qs:${QUEUE}`))).toBe(7);
    expect((await holder.load(QUEUE)).map((t) => t.ticketId).sort()).toEqual(fresh.map((t) => t.ticketId).sort());

    // Only the sequence lost (the log kept): the next change starts a new sequence and a new log, not an error.
    await admin.del(`${prefix}qs:${QUEUE}`);
    const late = ticket("late", now + 20);
    expect(await other.enqueue(late)).toEqual({ ok: true });
    expect(await admin.xlen(`${prefix}ql:${QUEUE}`)).toBe(1);
    expect((await holder.load(QUEUE)).map((t) => t.ticketId).sort()).toEqual(
      [...fresh, late].map((t) => t.ticketId).sort(),
    );
  });

  describe("passes", () => {
    /** A lease one node holds at a time, moved by the test. */
    let holderOf = "";
    const leaseFor = (node: string): QueueLease => ({
      hold: async () => holderOf === node,
      release: async () => {},
    });
    const matchmakerOver = (store: RedisQueueStore, node: string) =>
      new Matchmaker({
        store,
        lease: leaseFor(node),
        ratings: undefined as never,
        balanceOf: async () => 0n,
        regionsWithCapacity: async () => REGIONS,
        knownRegions: async () => REGIONS,
        logger: createLogger("silent"),
        settings: {
          ticketTtlMs: TTL_MS,
          leaseMs: 3_000,
          passIntervalMs: 500,
          claimTimeoutMs: 20_000,
          maxPairsPerPass: 500,
          placementConcurrency: 1,
          curve: DEFAULT_WIDENING,
        },
      });
    const claimedIds = (claimed: { pair: { a: PairingTicket; b: PairingTicket } }[]) =>
      claimed.map(({ pair }) => [pair.a.ticketId, pair.b.ticketId].sort());

    it("a ticket cancelled between passes is not paired: the waiting tickets pair with each other", async () => {
      prefix = `${root}cancel:`;
      const node = open();
      const other = open();
      const mm = matchmakerOver(node, "n1");
      const now = Date.now();
      const first = ticket("first", now, 25);
      const far = ticket("far", now, 80);
      for (const t of [first, far]) await other.enqueue(t);
      expect((await mm.pass(QUEUE, REGIONS, now)).claimed).toEqual([]);

      expect(await other.cancel(first.ticketId, "first")).toBe("cancelled");
      const [b, d] = [ticket("b", now + 1, 26), ticket("d", now + 2, 26.5)];
      for (const t of [b, d]) await other.enqueue(t);
      // With `first` still in the copy it would go first and take b, and that claim would be refused.
      const { report, claimed } = await mm.pass(QUEUE, REGIONS, now + 2);
      expect(report.queued).toBe(3);
      expect(claimedIds(claimed)).toEqual([[b.ticketId, d.ticketId].sort()]);
      expect((await other.ticket(b.ticketId))!.status).toBe("matching");
    });

    it("expiry and a lease move: each holder sees the other's expiries and claims, and no ticket is claimed twice", async () => {
      prefix = `${root}lease:`;
      const [s1, s2, writer] = [open(), open(), open()];
      const [n1, n2] = [matchmakerOver(s1, "n1"), matchmakerOver(s2, "n2")];
      const now = Date.now();
      const old = [ticket("old1", now - TTL_MS + 1_000, 25), ticket("old2", now - TTL_MS + 1_000, 60)];
      const young = [ticket("y1", now, 90), ticket("y2", now, 90.5)];
      for (const t of old) await writer.enqueue(t);

      holderOf = "n1";
      const passed = await n1.passAll();
      expect(passed.map((r) => [r.queue, r.queued, r.expired, r.claimed])).toEqual([[QUEUE, 2, 0, 0]]);
      for (const t of young) await writer.enqueue(t);

      // The lease moves: n2 has no copy and reads the whole queue; it expires the old tickets and claims the pair.
      holderOf = "n2";
      expect(await n1.passAll()).toEqual([]);
      const later = now + 2_000;
      const second = await n2.pass(QUEUE, REGIONS, later);
      expect([second.report.queued, second.report.expired]).toEqual([4, 2]);
      expect(claimedIds(second.claimed)).toEqual([young.map((t) => t.ticketId).sort()]);

      // Back to n1 (which dropped its copy when it lost the lease): nothing queued, nothing claimed twice.
      holderOf = "n1";
      const third = await n1.pass(QUEUE, REGIONS, later);
      expect([third.report.queued, third.claimed.length]).toEqual([0, 0]);

      // A copy kept across the move (as on a node that never saw it lose the lease) catches up from the log too.
      const kept = open();
      const keptMm = matchmakerOver(kept, "n1");
      expect((await keptMm.pass(QUEUE, REGIONS, later)).report.queued).toBe(0);
      const more = [ticket("m1", later, 40), ticket("m2", later, 40.5), ticket("m3", later - TTL_MS, 10)];
      for (const t of more) await writer.enqueue(t);
      const fourth = await keptMm.pass(QUEUE, REGIONS, later);
      expect([fourth.report.queued, fourth.report.expired]).toEqual([3, 1]);
      expect(claimedIds(fourth.claimed)).toEqual([[more[0]!.ticketId, more[1]!.ticketId].sort()]);
      expect(await truth()).toEqual([]);
    });
  });
});
