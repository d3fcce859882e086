// Non-chaotic shots for the backend agreement tests: a straight pot, a cut, banks, draw, follow and english.

import {
  type BallPlacement,
  type CueStrike,
  type ShotInput,
  type TableSize,
  tableGeometry,
  WPA_BALL_RADIUS_M,
} from "../../../../simulation/pool/index.ts";

function pocketCentre(table: TableSize, pocket: number): { x: number; y: number } {
  const p = tableGeometry(table).pockets;
  return { x: p[pocket * 3], y: p[pocket * 3 + 1] };
}

/** The cue ball behind `obj` (distance `back` m) on the line from the pocket, and the ghost-ball aim. */
function pot(
  table: TableSize,
  cue: { x: number; y: number },
  obj: BallPlacement,
  pocket: number,
  strike: Omit<CueStrike, "direction" | "direction_rad">,
  others: BallPlacement[] = [],
): ShotInput {
  const target = pocketCentre(table, pocket);
  const len = Math.hypot(target.x - obj.x, target.y - obj.y);
  const ghost = {
    x: obj.x - (2 * WPA_BALL_RADIUS_M * (target.x - obj.x)) / len,
    y: obj.y - (2 * WPA_BALL_RADIUS_M * (target.y - obj.y)) / len,
  };
  return {
    table,
    balls: [{ id: 0, ...cue }, obj, ...others],
    strike: { ...strike, direction: { x: ghost.x - cue.x, y: ghost.y - cue.y } },
  };
}

export const AGREEMENT_SHOTS: [string, ShotInput][] = [
  [
    "straight pot into the foot-right corner",
    pot("9ft", { x: 0.3, y: -0.12 }, { id: 3, x: 0.75, y: -0.33 }, 2, { speed_m_s: 2 }),
  ],
  [
    "30° cut into the foot-left corner",
    pot("9ft", { x: 0.1, y: -0.05 }, { id: 5, x: 0.8, y: 0.3 }, 3, { speed_m_s: 2.5 }),
  ],
  ["cut into the side pocket", pot("9ft", { x: -0.5, y: 0.0 }, { id: 9, x: 0.05, y: -0.4 }, 1, { speed_m_s: 2 })],
  ["draw shot", pot("9ft", { x: 0.2, y: 0.0 }, { id: 1, x: 0.7, y: 0.0 }, 3, { speed_m_s: 3, vertical: -0.4 })],
  ["follow shot", pot("9ft", { x: 0.2, y: 0.2 }, { id: 2, x: 0.6, y: 0.35 }, 3, { speed_m_s: 2.5, vertical: 0.4 })],
  [
    "stun shot with right english and a ball nearby",
    pot("9ft", { x: -0.6, y: -0.3 }, { id: 4, x: -0.1, y: -0.45 }, 2, { speed_m_s: 3, side: 0.3 }, [
      { id: 12, x: 0.4, y: 0.3 },
    ]),
  ],
  [
    "two-rail bank of the cue ball",
    { table: "9ft", balls: [{ id: 0, x: 0, y: 0.1 }], strike: { direction: { x: 1, y: 0.45 }, speed_m_s: 2.2 } },
  ],
  [
    "object ball banked off the foot rail",
    {
      table: "9ft",
      balls: [
        { id: 0, x: 0.2, y: 0.05 },
        { id: 6, x: 0.6, y: 0.05 },
      ],
      strike: { direction: { x: 1, y: 0 }, speed_m_s: 2.5 },
    },
  ],
  ["straight pot on the 7-ft table", pot("7ft", { x: -0.2, y: 0.1 }, { id: 7, x: 0.3, y: 0.25 }, 3, { speed_m_s: 2 })],
];
