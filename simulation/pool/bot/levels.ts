// Bot difficulty: how many candidate shots it simulates before choosing, and how far the shot it plays strays from
// the one it chose (aim in radians, speed as a fraction). Harder bots look at more shots and stray less.

export interface BotLevel {
  name: "easy" | "medium" | "hard";
  /** Aim offsets around each ghost-ball line (rad). */
  aim_offsets_rad: readonly number[];
  speeds_m_s: readonly number[];
  /** Tip offsets (fractions of R): centre, draw, follow, english. */
  spins: readonly { side: number; vertical: number }[];
  /** Directions swept round the full circle, for when no pot is on. */
  sweep_directions: number;
  /** Standard deviation of the executed shot's aim (rad) and speed (fraction). */
  aim_noise_rad: number;
  speed_noise: number;
}

/** The most candidates one decision simulates (one batch). */
export const MAX_BOT_CANDIDATES = 1024;

export const BOT_LEVELS: Readonly<Record<BotLevel["name"], BotLevel>> = Object.freeze({
  easy: {
    name: "easy",
    aim_offsets_rad: [0],
    speeds_m_s: [2.2],
    spins: [{ side: 0, vertical: 0 }],
    sweep_directions: 8,
    aim_noise_rad: 0.012,
    speed_noise: 0.08,
  },
  medium: {
    name: "medium",
    aim_offsets_rad: [-0.004, 0, 0.004],
    speeds_m_s: [1.6, 2.6, 3.8],
    spins: [
      { side: 0, vertical: 0 },
      { side: 0, vertical: -0.35 },
      { side: 0, vertical: 0.3 },
    ],
    sweep_directions: 16,
    aim_noise_rad: 0.004,
    speed_noise: 0.04,
  },
  hard: {
    name: "hard",
    aim_offsets_rad: [-0.006, -0.003, 0, 0.003, 0.006],
    speeds_m_s: [1.4, 2.2, 3.2, 4.5],
    spins: [
      { side: 0, vertical: 0 },
      { side: 0, vertical: -0.4 },
      { side: 0, vertical: 0.35 },
      { side: 0.3, vertical: 0 },
      { side: -0.3, vertical: 0 },
    ],
    sweep_directions: 32,
    aim_noise_rad: 0.001,
    speed_noise: 0.01,
  },
});
