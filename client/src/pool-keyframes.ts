/** The `shot` message's keyframes (docs/pool-room.md): `data` holds x, y, vx, vy, wx, wy, wz per keyframe. */
export interface WireKeyframes {
  count: number;
  t: number[];
  ball: number[];
  state: number[];
  data: number[];
}

const STRIDE = 7;
const POCKETED = 4;

interface Track {
  t: number[];
  /** Offsets into data. */
  at: number[];
  pocketedAt: number;
}

/**
 * Each ball's keyframes, split out once per shot. Between two of a ball's keyframes its acceleration is constant,
 * so p(τ) = p₀ + v₀τ + ½aτ² with a = 2(p₁ − p₀ − v₀Δ)/Δ² lands exactly on the next keyframe.
 */
export class ShotTracks {
  readonly #tracks = new Map<number, Track>();
  readonly #data: number[];

  constructor(keyframes: WireKeyframes) {
    this.#data = keyframes.data;
    for (let i = 0; i < keyframes.count; i++) {
      const id = keyframes.ball[i]!;
      let track = this.#tracks.get(id);
      if (!track) {
        track = { t: [], at: [], pocketedAt: Number.POSITIVE_INFINITY };
        this.#tracks.set(id, track);
      }
      track.t.push(keyframes.t[i]!);
      track.at.push(i * STRIDE);
      if (keyframes.state[i] === POCKETED) track.pocketedAt = Math.min(track.pocketedAt, keyframes.t[i]!);
    }
  }

  /** Where the ball is at time t (s), or null once it has dropped into a pocket (or if it has no keyframes). */
  position(ball: number, t: number): { x: number; y: number } | null {
    const track = this.#tracks.get(ball);
    if (!track || t >= track.pocketedAt) return null;
    const d = this.#data;
    let k = 0;
    while (k + 1 < track.t.length && track.t[k + 1]! <= t) k++;
    const o0 = track.at[k]!;
    if (k + 1 >= track.t.length) return { x: d[o0]!, y: d[o0 + 1]! };
    const o1 = track.at[k + 1]!;
    const span = track.t[k + 1]! - track.t[k]!;
    const tau = t - track.t[k]!;
    if (span <= 0) return { x: d[o1]!, y: d[o1 + 1]! };
    const ax = (2 * (d[o1]! - d[o0]! - d[o0 + 2]! * span)) / (span * span);
    const ay = (2 * (d[o1 + 1]! - d[o0 + 1]! - d[o0 + 3]! * span)) / (span * span);
    return {
      x: d[o0]! + d[o0 + 2]! * tau + 0.5 * ax * tau * tau,
      y: d[o0 + 1]! + d[o0 + 3]! * tau + 0.5 * ay * tau * tau,
    };
  }

  balls(): number[] {
    return [...this.#tracks.keys()];
  }
}
