import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryQueueStore } from "../../matchmaker/memory-store.ts";
import { RedisQueueStore } from "../../matchmaker/redis-store.ts";
import type { NewTicket, QueueStore } from "../../matchmaker/store.ts";
import { seededUniform } from "../../simulation/rng/index.ts";
import { REDIS_TEST_URL, redisAvailable } from "../support/services.ts";

const hasRedis = await redisAvailable();
const QUEUE = "pool:low";

function ticket(playerId: string, queuedAtMs: number, overrides: Partial<NewTicket> = {}): NewTicket {
  return {
    ticketId: randomUUID(),
    playerId,
    displayName: playerId,
    queue: QUEUE,
    stakeMinor: 1_000n,
    mu: 25,
    rttsMs: { eu: 30 },
    homeRegion: "eu",
    queuedAtMs,
    expiresAtMs: queuedAtMs + 60_000,
    ...overrides,
  };
}

/** The same rules for both stores: each suite runs these against one. */
function storeContract(name: string, open: () => QueueStore, openSecond: () => QueueStore) {
  describe(name, () => {
    it("keeps one live ticket per player across games, and frees it once the ticket ends", async () => {
      const store = open();
      const first = ticket("p1", 1_000);
      expect(await store.enqueue(first)).toEqual({ ok: true });
      expect(await store.enqueue(ticket("p1", 1_001, { queue: "draws:low:bo1" }))).toEqual({
        ok: false,
        liveTicketId: first.ticketId,
      });
      expect(await store.cancel(first.ticketId, "someone-else")).toBe("NOT_YOUR_TICKET");
      expect((await store.ticket(first.ticketId))!.status).toBe("queued");
      expect(await store.cancel(first.ticketId, "p1")).toBe("cancelled");
      expect(await store.cancel(first.ticketId, "p1")).toBe("TICKET_CLOSED");
      expect(await store.enqueue(ticket("p1", 1_002))).toEqual({ ok: true });
      expect((await store.counts()).get(`${QUEUE}|eu`)).toBe(1);
      await store.close();
    });

    it("two passes racing over the same tickets never claim one ticket twice", async () => {
      const [a, b] = [open(), openSecond()];
      const random = seededUniform(7);
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        const t = ticket(`race-${i}`, 2_000 + i);
        await a.enqueue(t);
        ids.push(t.ticketId);
      }
      // Each pass proposes its own random pairing of the same queue, as two lease holders would across a lease move.
      const proposal = () => {
        const shuffled = [...ids].sort(() => random() - 0.5);
        return Array.from({ length: shuffled.length / 2 }, (_, i) => ({
          claimId: randomUUID(),
          a: shuffled[2 * i]!,
          b: shuffled[2 * i + 1]!,
        }));
      };
      const [pa, pb] = [proposal(), proposal()];
      const [fa, fb] = await Promise.all([a.claim(QUEUE, pa, 5_000), b.claim(QUEUE, pb, 5_000)]);
      const claimedBy = new Map<string, string>();
      for (const [pairs, flags] of [
        [pa, fa],
        [pb, fb],
      ] as const) {
        pairs.forEach((pair, i) => {
          if (!flags[i]) return;
          for (const id of [pair.a, pair.b]) {
            expect(claimedBy.has(id), `${id} claimed twice`).toBe(false);
            claimedBy.set(id, pair.claimId);
          }
        });
      }
      for (const id of ids) {
        const stored = (await a.ticket(id))!;
        expect(stored.status).toBe(claimedBy.has(id) ? "matching" : "queued");
        if (claimedBy.has(id)) expect(stored.claimId).toBe(claimedBy.get(id));
      }
      const queued = await a.load(QUEUE);
      expect(queued.length).toBe(ids.length - claimedBy.size);
      expect((await a.counts()).get(`${QUEUE}|eu`) ?? 0).toBe(queued.length);
      await Promise.all([a.close(), b.close()]);
    });

    it("a claim is committed for both tickets or neither; a cancelled opponent sends the other to the front", async () => {
      const store = open();
      const [x, y, z] = [ticket("cx", 10_000), ticket("cy", 10_001), ticket("cz", 9_000)];
      for (const t of [x, y, z]) await store.enqueue(t);
      const claimId = randomUUID();
      expect(await store.claim(QUEUE, [{ claimId, a: x.ticketId, b: y.ticketId }], 11_000)).toEqual([true]);
      expect(await store.cancel(y.ticketId, "cy")).toBe("cancelled");
      const match = { roomId: "r" } as never;
      expect(
        await store.commit(claimId, [
          { ticketId: x.ticketId, match },
          { ticketId: y.ticketId, match },
        ]),
      ).toBe(false);
      expect((await store.ticket(x.ticketId))!.status).toBe("matching");
      expect(await store.release(x.ticketId, claimId, { requeue: true })).toBe(true);
      // A second release of the same claim changes nothing.
      expect(await store.release(x.ticketId, claimId, { drop: { code: "X", message: "x" } })).toBe(false);
      const order = (await store.load(QUEUE)).sort((p, q) => p.order - q.order).map((t) => t.ticketId);
      expect(order).toEqual([x.ticketId, z.ticketId]);
      await store.close();
    });

    it("expires only due tickets, and a stale claim (its placing node died) goes back to the queue", async () => {
      const store = open();
      const now = Date.now();
      const due = ticket("due", now - 70_000);
      const fresh = ticket("fresh", now - 1_000);
      const [c1, c2] = [ticket("claimed-1", now - 5_000), ticket("claimed-2", now - 5_000)];
      for (const t of [due, fresh, c1, c2]) await store.enqueue(t);
      expect(await store.expire(QUEUE, [due.ticketId, fresh.ticketId], now)).toEqual([due.ticketId]);
      expect((await store.ticket(due.ticketId))!.status).toBe("expired");
      const claimId = randomUUID();
      await store.claim(QUEUE, [{ claimId, a: c1.ticketId, b: c2.ticketId, homes: ["eu", "eu"] }], now - 30_000);
      expect((await store.counts()).get(`${QUEUE}|eu`)).toBe(1);
      expect(await store.recoverStaleClaims(QUEUE, 60_000)).toBe(0);
      expect(await store.recoverStaleClaims(QUEUE, 20_000)).toBe(2);
      const recovered = (await store.ticket(c1.ticketId))!;
      expect(recovered.status).toBe("queued");
      expect(recovered.reason?.code).toBe("PLACEMENT_LOST");
      // The dead node's late commit no longer applies.
      expect(await store.commit(claimId, [{ ticketId: c1.ticketId, match: {} as never }])).toBe(false);
      expect((await store.counts()).get(`${QUEUE}|eu`)).toBe(3);
      expect((await store.load(QUEUE)).map((t) => t.ticketId).sort()).toEqual(
        [fresh.ticketId, c1.ticketId, c2.ticketId].sort(),
      );
      await store.close();
    });
  });
}

let memoryStore = new MemoryQueueStore();
storeContract(
  "memory queue store",
  () => {
    memoryStore = new MemoryQueueStore();
    return memoryStore;
  },
  () => memoryStore,
);

describe.skipIf(!hasRedis)("redis", () => {
  const prefix = `mmtest:${randomUUID().slice(0, 8)}:`;
  let admin: Redis;
  let current = prefix;
  beforeAll(() => {
    admin = new Redis(REDIS_TEST_URL);
  });
  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });
  storeContract(
    "redis queue store",
    () => {
      current = `${prefix}${randomUUID().slice(0, 6)}:`;
      return new RedisQueueStore(REDIS_TEST_URL, current);
    },
    () => new RedisQueueStore(REDIS_TEST_URL, current),
  );
});
