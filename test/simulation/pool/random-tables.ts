// Random legal tables and shots for the property tests: breaks from racks as real racks come, clusters of balls
// frozen to each other, balls frozen to cushions, slow pushes of one ball against another, and open tables, each
// struck at any speed and tip offset the room accepts. Every case is a function of its seed alone.

import {
  type BallPlacement,
  type CueStrike,
  MAX_CUE_BALL_SPEED_M_S,
  MISCUE_OFFSET_LIMIT,
  type ShotInput,
  type TableSize,
  tableGeometry,
  WPA_BALL_RADIUS_M,
} from "../../../simulation/pool/index.ts";
import { randomBreak } from "../../../simulation/pool/rack.ts";
import { seededUniform } from "../../../simulation/rng/index.ts";

const R = WPA_BALL_RADIUS_M;
/** Clearance kept between balls meant to be apart (m). */
const APART_M = 1e-5;

export const TABLE_KINDS = ["break", "cluster", "cushion", "push", "open"] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

export interface RandomCase {
  seed: number;
  kind: TableKind;
  shot: ShotInput;
}

type Uniform = () => number;

function between(random: Uniform, lo: number, hi: number): number {
  return lo + (hi - lo) * random();
}

/** Any strike the room accepts: speed in (0, 13.5] m/s, tip offset anywhere inside the miscue limit. */
function anyStrike(random: Uniform, direction: { x: number; y: number }, speed_m_s: number): CueStrike {
  const tip = Math.sqrt(random()) * MISCUE_OFFSET_LIMIT * 0.999;
  const angle = 2 * Math.PI * random();
  return { direction, speed_m_s, side: tip * Math.cos(angle), vertical: tip * Math.sin(angle) };
}

/** Speeds across the whole accepted range, weighted towards the soft and the ordinary. */
function anySpeed(random: Uniform): number {
  const u = random();
  if (u < 0.3) return between(random, 0.01, 0.5);
  if (u < 0.8) return between(random, 0.5, 5);
  return between(random, 5, MAX_CUE_BALL_SPEED_M_S);
}

class Placer {
  readonly balls: BallPlacement[] = [];
  readonly #g: ReturnType<typeof tableGeometry>;
  constructor(table: TableSize) {
    this.#g = tableGeometry(table);
  }
  get maxX(): number {
    return this.#g.half_length_m - R;
  }
  get maxY(): number {
    return this.#g.half_width_m - R;
  }
  fits(x: number, y: number): boolean {
    if (Math.abs(x) > this.maxX || Math.abs(y) > this.maxY) return false;
    return this.balls.every((b) => Math.hypot(b.x - x, b.y - y) >= 2 * R - 1e-9);
  }
  add(id: number, x: number, y: number): boolean {
    if (!this.fits(x, y)) return false;
    this.balls.push({ id, x, y });
    return true;
  }
  /** Somewhere free on the bed, at least `clearance_m` from every ball. */
  addAnywhere(id: number, random: Uniform, clearance_m = APART_M): boolean {
    for (let attempt = 0; attempt < 200; attempt++) {
      const x = between(random, -this.maxX, this.maxX);
      const y = between(random, -this.maxY, this.maxY);
      if (this.balls.every((b) => Math.hypot(b.x - x, b.y - y) >= 2 * R + clearance_m) && this.add(id, x, y))
        return true;
    }
    return false;
  }
  /** Frozen to ball `to` (exactly touching) at a random angle. */
  addFrozenTo(id: number, to: BallPlacement, random: Uniform): boolean {
    for (let attempt = 0; attempt < 40; attempt++) {
      const a = 2 * Math.PI * random();
      if (this.add(id, to.x + 2 * R * Math.cos(a), to.y + 2 * R * Math.sin(a))) return true;
    }
    return false;
  }
}

function objectIds(random: Uniform, count: number): number[] {
  const ids = Array.from({ length: 15 }, (_, i) => i + 1);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.slice(0, count);
}

function aimAt(cue: BallPlacement, target: BallPlacement, random: Uniform, spread: number) {
  const dx = target.x - cue.x;
  const dy = target.y - cue.y;
  const len = Math.hypot(dx, dy);
  const offset = (2 * random() - 1) * spread * 2 * R;
  return { x: dx - (dy / len) * offset, y: dy + (dx / len) * offset };
}

function cluster(table: TableSize, random: Uniform): ShotInput {
  const p = new Placer(table);
  const ids = objectIds(random, 3 + Math.floor(random() * 10));
  let anchor: BallPlacement | undefined;
  for (const id of ids) {
    const within = p.balls.filter((b) => b.id !== 0);
    if (!anchor || random() < 0.25) {
      if (p.addAnywhere(id, random)) anchor = p.balls.at(-1);
    } else {
      const to = within[Math.floor(random() * within.length)] ?? anchor;
      p.addFrozenTo(id, to, random) || p.addAnywhere(id, random);
    }
  }
  p.addAnywhere(0, random);
  const cue = p.balls.find((b) => b.id === 0)!;
  const target = p.balls[Math.floor(random() * (p.balls.length - 1))]!;
  return { table, balls: p.balls, strike: anyStrike(random, aimAt(cue, target, random, 1), anySpeed(random)) };
}

function cushion(table: TableSize, random: Uniform): ShotInput {
  const p = new Placer(table);
  for (const id of objectIds(random, 2 + Math.floor(random() * 8))) {
    const along = 2 * random() - 1;
    const side = Math.floor(random() * 4);
    const x = side < 2 ? along * p.maxX : (side === 2 ? -1 : 1) * p.maxX;
    const y = side < 2 ? (side === 0 ? -1 : 1) * p.maxY : along * p.maxY;
    const last = p.balls.at(-1);
    // Often frozen to the rail and to the ball before it along the rail as well.
    if (!(last && random() < 0.4 && p.addFrozenTo(id, last, random)) && !p.add(id, x, y)) p.addAnywhere(id, random);
  }
  if (random() < 0.5) {
    const rail = p.balls[Math.floor(random() * p.balls.length)]!;
    p.addFrozenTo(0, rail, random) || p.addAnywhere(0, random);
  } else p.addAnywhere(0, random);
  const cue = p.balls.find((b) => b.id === 0)!;
  const target = p.balls.find((b) => b.id !== 0)!;
  const direction = random() < 0.3 ? { x: 2 * random() - 1, y: 2 * random() - 1 } : aimAt(cue, target, random, 1);
  return { table, balls: p.balls, strike: anyStrike(random, direction, anySpeed(random)) };
}

function push(table: TableSize, random: Uniform): ShotInput {
  const p = new Placer(table);
  const ids = objectIds(random, 1 + Math.floor(random() * 4));
  p.addAnywhere(ids[0]!, random, 0.1);
  const first = p.balls[0]!;
  // A short chain frozen behind the struck ball, then the cue ball frozen to it (or a hair away).
  for (const id of ids.slice(1)) p.addFrozenTo(id, p.balls.at(-1)!, random);
  const gap = random() < 0.5 ? 0 : random() * 2e-4;
  const a = 2 * Math.PI * random();
  if (!p.add(0, first.x + (2 * R + gap) * Math.cos(a), first.y + (2 * R + gap) * Math.sin(a))) p.addAnywhere(0, random);
  const cue = p.balls.find((b) => b.id === 0)!;
  const speed = random() < 0.7 ? between(random, 0.005, 0.3) : between(random, 0.3, 3);
  return { table, balls: p.balls, strike: anyStrike(random, aimAt(cue, first, random, 0.6), speed) };
}

function open(table: TableSize, random: Uniform): ShotInput {
  const p = new Placer(table);
  for (const id of objectIds(random, 1 + Math.floor(random() * 15))) p.addAnywhere(id, random);
  p.addAnywhere(0, random);
  const cue = p.balls.find((b) => b.id === 0)!;
  const target = p.balls[Math.floor(random() * (p.balls.length - 1))]!;
  const direction = random() < 0.8 ? aimAt(cue, target, random, 1) : { x: 2 * random() - 1, y: 2 * random() - 1 };
  return { table, balls: p.balls, strike: anyStrike(random, direction, anySpeed(random)) };
}

/** The case of this seed: its kind, table size and every number in it follow from the seed. */
export function randomCase(seed: number): RandomCase {
  const random = seededUniform(seed);
  const u = random();
  const kind: TableKind = u < 0.35 ? "break" : u < 0.55 ? "cluster" : u < 0.7 ? "cushion" : u < 0.85 ? "push" : "open";
  const table: TableSize = random() < 0.5 ? "9ft" : "7ft";
  const make = { break: randomBreak, cluster, cushion, push, open }[kind];
  return { seed, kind, shot: make(table, random) };
}

/** The next shot from a final table: the cue ball where it stopped (or, pocketed, anywhere free), any strike. */
export function nextShot(table: TableSize, balls: BallPlacement[], seed: number): ShotInput | null {
  const random = seededUniform(seed);
  const p = new Placer(table);
  for (const b of balls) p.balls.push({ id: b.id, x: b.x, y: b.y });
  if (!p.balls.some((b) => b.id === 0) && !p.addAnywhere(0, random)) return null;
  const cue = p.balls.find((b) => b.id === 0)!;
  const others = p.balls.filter((b) => b.id !== 0);
  const direction =
    others.length > 0 && random() < 0.8
      ? aimAt(cue, others[Math.floor(random() * others.length)]!, random, 1)
      : { x: 2 * random() - 1, y: 2 * random() - 1 };
  return { table, balls: p.balls, strike: anyStrike(random, direction, anySpeed(random)) };
}
