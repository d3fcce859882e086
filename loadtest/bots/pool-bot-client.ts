import type { Room } from "@colyseus/sdk";
import type { Synced } from "../../protocol/common.ts";
import type { PoolMatchOver, PoolStateView } from "../../protocol/pool.ts";
import { rulesPocketOf } from "../../simulation/pool/eightball-summary.ts";
import {
  MAX_CUE_BALL_SPEED_M_S,
  type TableSize,
  tableGeometry,
  WPA_BALL_RADIUS_M,
} from "../../simulation/pool/index.ts";

const R = WPA_BALL_RADIUS_M;

/** The pool room as the SDK decodes it. */
export type PoolRoomView = Synced<PoolStateView>;

export type MatchOverMessage = PoolMatchOver;

export interface PoolBotOptions {
  playerId: string;
  /** Speed factor on the bot's usual pace (1 by default); keep under MAX_CUE_BALL_SPEED_M_S. */
  power?: number;
}

interface Ball {
  id: number;
  x: number;
  y: number;
}

interface Plan {
  directionRad: number;
  speed: number;
  cueBall: { x: number; y: number } | null;
  calledPocket: number | null;
}

/**
 * Plays one seat of a pool room through a real SDK connection, from the synced state only: accepts the stake,
 * breaks from the kitchen, then aims straight along the line from a legal ball to a pocket (the ghost-ball line),
 * preferring clear paths and small cuts; with ball in hand it puts the cue ball on that line. When no pot is on it
 * hits the nearest legal ball full. A pending decision is answered by accepting the table. `problems` lists every
 * error the room sent back.
 */
export class PoolBot {
  readonly room: Room<unknown, PoolRoomView>;
  readonly options: PoolBotOptions;
  readonly problems: string[] = [];
  shotsTaken = 0;
  over: MatchOverMessage | null = null;
  #lastTurn = "";

  constructor(room: Room, options: PoolBotOptions) {
    this.room = room;
    this.options = options;
    room.onMessage("error", (error: { type: string; code: string; message: string }) => {
      this.problems.push(`error on ${error.type}: ${error.code} ${error.message}`);
    });
    room.onMessage("matchOver", (message: MatchOverMessage) => {
      this.over = message;
    });
    for (const type of ["shot", "decision", "timeout", "matchStarted"]) room.onMessage(type, () => {});
    room.onStateChange((state: PoolRoomView) => this.decide(state));
    // The state may have arrived before this bot was attached, and nothing changes until someone acts.
    if (this.room.state) this.decide(this.room.state);
  }

  mySeat(view: PoolRoomView): number {
    if (!view.seats) return -1; // joined, first state not decoded yet
    for (const [key, seat] of view.seats) if (seat.playerId === this.options.playerId) return Number(key);
    return -1;
  }

  private decide(view: PoolRoomView) {
    const seat = this.mySeat(view);
    if (seat < 0) return;
    if (view.phase === "accepting" && !view.seats.get(String(seat))?.accepted) {
      this.once(`accept`, () => this.room.send("acceptStake", {}));
      return;
    }
    if (view.phase !== "playing" || view.shooter !== seat || view.shotInProgress || view.deadline === 0) return;
    const turn = `${view.rack}:${view.shotCount}:${view.decisionReason}:${view.deadline}`;
    if (view.decisionReason !== "") {
      this.once(turn, () => this.room.send("decide", { kind: "acceptTable" }));
      return;
    }
    this.once(turn, () => {
      const plan = planShot(view, view.seats.get(String(seat))?.group ?? "", this.options.power ?? 1);
      this.shotsTaken += 1;
      this.room.send("shoot", {
        directionRad: plan.directionRad,
        speed: plan.speed,
        side: 0,
        vertical: 0,
        calledPocket: plan.calledPocket,
        cueBall: plan.cueBall,
      });
    });
  }

  private once(key: string, act: () => void) {
    if (key === this.#lastTurn) return;
    this.#lastTurn = key;
    act();
  }
}

/** The bot's shot for the synced table. Exported for tests that want a sensible shot without a connection. */
export function planShot(view: PoolRoomView, group: string, power = 1): Plan {
  const geometry = tableGeometry(view.table as TableSize);
  const balls: Ball[] = view.balls.map((b) => ({ id: b.id, x: b.x, y: b.y }));
  const objects = balls.filter((b) => b.id !== 0);
  const cue = balls.find((b) => b.id === 0) ?? null;
  const headString = geometry.head_string_x_m;

  if (view.rulesPhase === "break") {
    const apex = objects.reduce((a, b) => (a.x < b.x ? a : b));
    const place = { x: headString - 0.25, y: 0.1 };
    return {
      directionRad: Math.atan2(apex.y - place.y, apex.x - place.x),
      speed: Math.min(9 * power, MAX_CUE_BALL_SPEED_M_S),
      cueBall: view.ballInHand ? place : null,
      calledPocket: null,
    };
  }

  const legal = legalTargets(objects, group);
  const pockets = Array.from({ length: 6 }, (_, p) => ({
    p,
    x: geometry.pockets[p * 3]!,
    y: geometry.pockets[p * 3 + 1]!,
  }));
  const inHand = view.ballInHand !== "" || cue === null;
  const onTable = (x: number, y: number) =>
    Math.abs(x) <= geometry.half_length_m - 2 * R && Math.abs(y) <= geometry.half_width_m - 2 * R;
  const placeable = (x: number, y: number) =>
    onTable(x, y) &&
    (view.ballInHand !== "behindHeadString" || x < headString - R) &&
    objects.every((b) => Math.hypot(b.x - x, b.y - y) > 2 * R + 0.002);

  let best: { score: number; plan: Plan } | null = null;
  for (const target of legal) {
    for (const pocket of pockets) {
      const dx = pocket.x - target.x;
      const dy = pocket.y - target.y;
      const toPocket = Math.hypot(dx, dy);
      const u = { x: dx / toPocket, y: dy / toPocket };
      const ghost = { x: target.x - 2 * R * u.x, y: target.y - 2 * R * u.y };
      if (!pathClear(objects, target, { x: target.x, y: target.y }, pocket, target.id)) continue;
      let from: { x: number; y: number } | null = cue;
      let place: { x: number; y: number } | null = null;
      if (inHand) {
        place = null;
        for (const back of [0.25, 0.4, 0.15, 0.6]) {
          const x = ghost.x - back * u.x;
          const y = ghost.y - back * u.y;
          if (placeable(x, y)) {
            place = { x, y };
            break;
          }
        }
        if (!place) continue;
        from = place;
      }
      if (!from) continue;
      const toGhost = Math.hypot(ghost.x - from.x, ghost.y - from.y);
      if (toGhost < 1e-3) continue;
      const aim = { x: (ghost.x - from.x) / toGhost, y: (ghost.y - from.y) / toGhost };
      const cut = Math.acos(Math.max(-1, Math.min(1, aim.x * u.x + aim.y * u.y)));
      if (cut > 1.2) continue;
      if (!pathClear(objects, null, from, ghost, target.id)) continue;
      const score = cut * 2 + (toGhost + toPocket) * 0.3;
      if (best && best.score <= score) continue;
      const speed = Math.min((1.4 + 1.3 * (toGhost + toPocket)) / Math.max(Math.cos(cut), 0.4), 6) * power;
      best = {
        score,
        plan: {
          directionRad: Math.atan2(aim.y, aim.x),
          speed: Math.min(speed, MAX_CUE_BALL_SPEED_M_S),
          cueBall: place,
          calledPocket: target.id === 8 ? rulesPocketOf(pocket.p) : null,
        },
      };
    }
  }
  if (best) return best.plan;

  // No pot on: hit the nearest legal ball full and firmly enough to reach a rail, calling any pocket for the 8.
  let from = cue;
  let place: { x: number; y: number } | null = null;
  const target = legal.reduce((a, b) =>
    from && Math.hypot(a.x - from.x, a.y - from.y) <= Math.hypot(b.x - from.x, b.y - from.y) ? a : b,
  );
  if (inHand) {
    for (const [dx, dy] of [
      [-0.3, 0],
      [0.3, 0],
      [0, 0.3],
      [0, -0.3],
      [-0.15, 0.15],
      [0.15, -0.15],
    ] as const) {
      if (placeable(target.x + dx, target.y + dy)) {
        place = { x: target.x + dx, y: target.y + dy };
        break;
      }
    }
    if (!place && view.ballInHand === "behindHeadString") {
      for (let y = -0.5; y <= 0.5 && !place; y += 0.05)
        if (placeable(headString - 0.2, y)) place = { x: headString - 0.2, y };
    }
    from = { id: 0, ...(place ?? { x: headString - 0.2, y: 0 }) };
  }
  const start = from ?? { id: 0, x: 0, y: 0 };
  return {
    directionRad: Math.atan2(target.y - start.y, target.x - start.x),
    speed: 3 * power,
    cueBall: inHand ? (place ?? start) : null,
    calledPocket: view.mustCallPocket ? 2 : null,
  };
}

function legalTargets(objects: Ball[], group: string): Ball[] {
  const own =
    group === "solids"
      ? objects.filter((b) => b.id < 8)
      : group === "stripes"
        ? objects.filter((b) => b.id > 8)
        : objects.filter((b) => b.id !== 8);
  if (own.length > 0) return own;
  const eight = objects.filter((b) => b.id === 8);
  return eight.length > 0 ? eight : objects;
}

/** No ball (other than `skip`) lies within two radii of the segment from `a` to `b`. */
function pathClear(
  objects: Ball[],
  moving: Ball | null,
  a: { x: number; y: number },
  b: { x: number; y: number },
  skip: number,
): boolean {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  for (const ball of objects) {
    if (ball.id === skip || ball === moving) continue;
    const t = len2 > 0 ? Math.max(0, Math.min(1, ((ball.x - a.x) * dx + (ball.y - a.y) * dy) / len2)) : 0;
    if (Math.hypot(a.x + t * dx - ball.x, a.y + t * dy - ball.y) < 2 * R + 0.004) return false;
  }
  return true;
}
