// Pool equipment as data: WPA balls, 9-ft and 7-ft tables, pocket mouths with jaws, and the flat geometry arrays the
// physics kernel reads (the same layout a WGSL storage buffer will hold). Sources: docs/physics.md, "Equipment".
//
// Table frame: origin at the centre of the playing surface, x along the length (the head end, where the cue ball
// breaks from, is −x), y across, z up. The playing surface is bounded by the cushion noses at x = ±L/2, y = ±W/2.
// Seen from the head end, +y is to the left. Pocket ids: 0 head-right corner (−x,−y), 1 right side (0,−y),
// 2 foot-right corner (+x,−y), 3 foot-left corner (+x,+y), 4 left side (0,+y), 5 head-left corner (−x,+y).

const INCH_M = 0.0254;

/** WPA: ball diameter 2.25 in (±0.005 in). */
export const WPA_BALL_RADIUS_M = (2.25 * INCH_M) / 2;
/** WPA: ball weight 5.5–6 oz; 6 oz as in pooltool's default (0.170097 kg). */
export const WPA_BALL_MASS_KG = 0.170097;
export const BALLS_PER_TABLE = 16;
export const CUE_BALL_ID = 0;
export const EIGHT_BALL_ID = 8;

export type TableSize = "9ft" | "7ft";
export const TABLE_SIZES: readonly TableSize[] = ["9ft", "7ft"];

export interface PocketSpec {
  /** Distance between the two jaw points, where the cushion noses turn into the pocket (WPA "mouth"). */
  mouth_width_m: number;
  /** Angle between a cushion nose and its pocket facing, measured through the cushion (WPA mouth angle). */
  mouth_angle_deg: number;
  /** Radius of the rounded jaw point joining nose and facing. */
  jaw_radius_m: number;
  /** A ball drops once its centre enters this circle... */
  drop_radius_m: number;
  /** ...whose nearest point lies this far beyond the mouth line, along the pocket's axis (WPA "shelf"). */
  shelf_m: number;
}

export interface TableSpec {
  size: TableSize;
  playing_length_m: number;
  playing_width_m: number;
  /** Cloth-covered cushion width seen from above: how far the pocket facings reach behind the nose line. */
  cushion_width_m: number;
  /** Height of the cushion nose above the slate. */
  cushion_height_m: number;
  corner: PocketSpec;
  side: PocketSpec;
}

const CORNER_POCKET: PocketSpec = Object.freeze({
  mouth_width_m: 4.5625 * INCH_M, // WPA 4.5–4.625 in
  mouth_angle_deg: 142, // WPA 142° ± 1°
  jaw_radius_m: 0.0419 / 2, // pooltool PocketTableSpecs.corner_jaw_radius
  drop_radius_m: 0.124 / 2, // pooltool corner_pocket_radius
  shelf_m: 1.5 * INCH_M, // WPA corner shelf 1–2.25 in
});

const SIDE_POCKET: PocketSpec = Object.freeze({
  mouth_width_m: 5.0625 * INCH_M, // WPA 5–5.125 in
  mouth_angle_deg: 104, // WPA 104° ± 1°
  jaw_radius_m: 0.0159 / 2, // pooltool side_jaw_radius
  drop_radius_m: 0.129 / 2, // pooltool side_pocket_radius
  shelf_m: 0.1875 * INCH_M, // WPA side shelf 0–0.375 in
});

const CUSHION_WIDTH_M = 2 * INCH_M; // WPA 1 7/8–2 in
const CUSHION_HEIGHT_M = 0.635 * 2 * WPA_BALL_RADIUS_M; // WPA nose height 62.5–64.5 % of the ball's diameter

export const TABLE_SPECS: Readonly<Record<TableSize, TableSpec>> = Object.freeze({
  "9ft": Object.freeze({
    size: "9ft",
    playing_length_m: 100 * INCH_M, // WPA 100 × 50 in (±1/8 in)
    playing_width_m: 50 * INCH_M,
    cushion_width_m: CUSHION_WIDTH_M,
    cushion_height_m: CUSHION_HEIGHT_M,
    corner: CORNER_POCKET,
    side: SIDE_POCKET,
  }),
  "7ft": Object.freeze({
    size: "7ft",
    playing_length_m: 78 * INCH_M, // 78 × 39 in bar table, pooltool's default PocketTableSpecs
    playing_width_m: 39 * INCH_M,
    cushion_width_m: CUSHION_WIDTH_M,
    cushion_height_m: CUSHION_HEIGHT_M,
    corner: CORNER_POCKET,
    side: SIDE_POCKET,
  }),
});

export const POCKET_COUNT = 6;
export const RAIL_COUNT = 6;
/** Cushion ids: rails 0–5, pocket facings 6–17 (two per pocket), jaw roundings 18–29 (two per pocket). */
export const LINE_CUSHION_COUNT = RAIL_COUNT + 2 * POCKET_COUNT;
export const CIRCLE_CUSHION_COUNT = 2 * POCKET_COUNT;
export const CUSHION_COUNT = LINE_CUSHION_COUNT + CIRCLE_CUSHION_COUNT;
export const LINE_STRIDE = 6; // p1x, p1y, p2x, p2y, nx, ny (unit normal towards the side balls come from)
export const CIRCLE_STRIDE = 3; // cx, cy, r

export const POCKET_NAMES = [
  "head-right corner",
  "right side",
  "foot-right corner",
  "foot-left corner",
  "left side",
  "head-left corner",
] as const;
const RAIL_NAMES = ["right head rail", "right foot rail", "foot rail", "left foot rail", "left head rail", "head rail"];

/** The table as flat arrays, indexed by cushion and pocket ids; what both backends read. */
export interface TableGeometry {
  spec: TableSpec;
  half_length_m: number;
  half_width_m: number;
  lines: Float64Array; // LINE_CUSHION_COUNT × LINE_STRIDE
  circles: Float64Array; // CIRCLE_CUSHION_COUNT × CIRCLE_STRIDE (jaw roundings)
  pockets: Float64Array; // POCKET_COUNT × CIRCLE_STRIDE (drop circles)
  cushion_names: string[];
  /** x of the head string (the cue ball breaks from x < head_string_x_m) and the foot spot (apex ball). */
  head_string_x_m: number;
  foot_spot_x_m: number;
}

interface JawShape {
  tangent_on_rail: [number, number];
  facing_start: [number, number];
  facing_end: [number, number];
  facing_normal: [number, number];
  centre: [number, number];
}

// One jaw: the rail nose leaves the jaw point J along `rail` (away from the pocket); the facing leaves it along a
// direction at `angle` from the rail, turned towards `out` (away from the table). The jaw rounding is the circle of
// radius r tangent to both, inside the cushion's wedge.
function jawShape(
  jx: number,
  jy: number,
  railX: number,
  railY: number,
  outX: number,
  outY: number,
  pocket: PocketSpec,
  cushionWidth: number,
): JawShape {
  const angle = (pocket.mouth_angle_deg * Math.PI) / 180;
  const fx = Math.cos(angle) * railX + Math.sin(angle) * outX;
  const fy = Math.cos(angle) * railY + Math.sin(angle) * outY;
  const bLen = Math.hypot(railX + fx, railY + fy);
  const bx = (railX + fx) / bLen;
  const by = (railY + fy) / bLen;
  const tangentDist = pocket.jaw_radius_m / Math.tan(angle / 2);
  const centreDist = pocket.jaw_radius_m / Math.sin(angle / 2);
  const facingLength = cushionWidth / (fx * outX + fy * outY);
  // Facing normal: perpendicular to the facing, away from the cushion's wedge.
  let nx = -fy;
  let ny = fx;
  if (nx * bx + ny * by > 0) {
    nx = -nx;
    ny = -ny;
  }
  return {
    tangent_on_rail: [jx + railX * tangentDist, jy + railY * tangentDist],
    facing_start: [jx + fx * tangentDist, jy + fy * tangentDist],
    facing_end: [jx + fx * facingLength, jy + fy * facingLength],
    facing_normal: [nx, ny],
    centre: [jx + bx * centreDist, jy + by * centreDist],
  };
}

export function buildTableGeometry(size: TableSize): TableGeometry {
  const spec = TABLE_SPECS[size];
  if (!spec) throw new RangeError(`unknown table size ${String(size)}`);
  const hl = spec.playing_length_m / 2;
  const hw = spec.playing_width_m / 2;
  const cw = spec.cushion_width_m;
  const lines = new Float64Array(LINE_CUSHION_COUNT * LINE_STRIDE);
  const circles = new Float64Array(CIRCLE_CUSHION_COUNT * CIRCLE_STRIDE);
  const pockets = new Float64Array(POCKET_COUNT * CIRCLE_STRIDE);
  const names: string[] = [...RAIL_NAMES];

  // Jaw a of each pocket is on the long rail for corners and at −x for sides; jaw b the other one.
  // jaws[p][k] gives the tangent point where rail noses end.
  const railEnds: [number, number][][] = [];
  for (let p = 0; p < POCKET_COUNT; p++) {
    const sy = p < 3 ? -1 : 1;
    const isSide = p === 1 || p === 4;
    const sx = p === 0 || p === 5 ? -1 : 1;
    const pocket = isSide ? spec.side : spec.corner;
    let jaws: JawShape[];
    let cx: number;
    let cy: number;
    let ax: number;
    let ay: number;
    if (isSide) {
      const half = pocket.mouth_width_m / 2;
      jaws = [jawShape(-half, sy * hw, -1, 0, 0, sy, pocket, cw), jawShape(half, sy * hw, 1, 0, 0, sy, pocket, cw)];
      cx = 0;
      cy = sy * hw;
      ax = 0;
      ay = sy;
    } else {
      const a = pocket.mouth_width_m / Math.SQRT2;
      jaws = [
        jawShape(sx * (hl - a), sy * hw, -sx, 0, 0, sy, pocket, cw),
        jawShape(sx * hl, sy * (hw - a), 0, -sy, sx, 0, pocket, cw),
      ];
      cx = sx * (hl - a / 2);
      cy = sy * (hw - a / 2);
      ax = sx / Math.SQRT2;
      ay = sy / Math.SQRT2;
    }
    const dropCentre = pocket.shelf_m + pocket.drop_radius_m;
    pockets[p * CIRCLE_STRIDE] = cx + ax * dropCentre;
    pockets[p * CIRCLE_STRIDE + 1] = cy + ay * dropCentre;
    pockets[p * CIRCLE_STRIDE + 2] = pocket.drop_radius_m;
    const ends: [number, number][] = [];
    for (let k = 0; k < 2; k++) {
      const jaw = jaws[k];
      const li = (RAIL_COUNT + 2 * p + k) * LINE_STRIDE;
      lines[li] = jaw.facing_start[0];
      lines[li + 1] = jaw.facing_start[1];
      lines[li + 2] = jaw.facing_end[0];
      lines[li + 3] = jaw.facing_end[1];
      lines[li + 4] = jaw.facing_normal[0];
      lines[li + 5] = jaw.facing_normal[1];
      const ci = (2 * p + k) * CIRCLE_STRIDE;
      circles[ci] = jaw.centre[0];
      circles[ci + 1] = jaw.centre[1];
      circles[ci + 2] = pocket.jaw_radius_m;
      ends.push(jaw.tangent_on_rail);
    }
    railEnds.push(ends);
  }
  for (let p = 0; p < POCKET_COUNT; p++) names.push(`${POCKET_NAMES[p]} facing a`, `${POCKET_NAMES[p]} facing b`);
  for (let p = 0; p < POCKET_COUNT; p++) names.push(`${POCKET_NAMES[p]} jaw a`, `${POCKET_NAMES[p]} jaw b`);

  // Rails between pockets, as [pocket, jaw] at each end, and the inward normal.
  const rails: [number, number, number, number, number, number][] = [
    [0, 0, 1, 0, 0, 1], // right head rail, y = −W/2
    [1, 1, 2, 0, 0, 1], // right foot rail
    [2, 1, 3, 1, -1, 0], // foot rail, x = +L/2
    [3, 0, 4, 1, 0, -1], // left foot rail, y = +W/2
    [4, 0, 5, 0, 0, -1], // left head rail
    [5, 1, 0, 1, 1, 0], // head rail, x = −L/2
  ];
  for (let r = 0; r < RAIL_COUNT; r++) {
    const [p1, k1, p2, k2, nx, ny] = rails[r];
    const li = r * LINE_STRIDE;
    lines[li] = railEnds[p1][k1][0];
    lines[li + 1] = railEnds[p1][k1][1];
    lines[li + 2] = railEnds[p2][k2][0];
    lines[li + 3] = railEnds[p2][k2][1];
    lines[li + 4] = nx;
    lines[li + 5] = ny;
  }
  return {
    spec,
    half_length_m: hl,
    half_width_m: hw,
    lines,
    circles,
    pockets,
    cushion_names: names,
    head_string_x_m: -hl / 2,
    foot_spot_x_m: hl / 2,
  };
}

const geometryCache = new Map<TableSize, TableGeometry>();

export function tableGeometry(size: TableSize): TableGeometry {
  let geometry = geometryCache.get(size);
  if (!geometry) {
    geometry = buildTableGeometry(size);
    geometryCache.set(size, geometry);
  }
  return geometry;
}

/** The pocket a mirror image in y (y → −y) puts in place of pocket p. */
export function mirrorPocketId(p: number): number {
  return POCKET_COUNT - 1 - p;
}

/** The cushion a mirror image in y puts in place of cushion c. */
export function mirrorCushionId(c: number): number {
  if (c < RAIL_COUNT) return [4, 3, 2, 1, 0, 5][c];
  const inPocket = c < LINE_CUSHION_COUNT ? c - RAIL_COUNT : c - LINE_CUSHION_COUNT;
  const base = c < LINE_CUSHION_COUNT ? RAIL_COUNT : LINE_CUSHION_COUNT;
  const p = inPocket >> 1;
  return base + 2 * mirrorPocketId(p) + (inPocket & 1);
}

/**
 * Whether a ball of radius R centred at (x, y) lies on the playing surface: inside the cushion noses (to within
 * `tolerance_m`), or in a pocket's mouth, where a ball can come to rest: on the throat's side of the pocket's two
 * facings and clear of them and of its jaw roundings, and not yet over its drop circle.
 */
export function ballOnPlayingSurface(geometry: TableGeometry, R: number, x: number, y: number, tolerance_m: number) {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  const inX = Math.abs(x) <= geometry.half_length_m - R + tolerance_m;
  const inY = Math.abs(y) <= geometry.half_width_m - R + tolerance_m;
  if (inX && inY) return true;
  const reach = geometry.spec.cushion_width_m;
  if (Math.abs(x) > geometry.half_length_m + reach || Math.abs(y) > geometry.half_width_m + reach) return false;
  for (let p = 0; p < POCKET_COUNT; p++) {
    let inMouth =
      Math.hypot(x - geometry.pockets[p * 3], y - geometry.pockets[p * 3 + 1]) > geometry.pockets[p * 3 + 2];
    for (let k = 0; k < 2 && inMouth; k++) {
      const o = (RAIL_COUNT + 2 * p + k) * LINE_STRIDE;
      const l = geometry.lines;
      // On the throat's side of the facing, and clear of the facing itself.
      const sx = l[o + 2] - l[o];
      const sy = l[o + 3] - l[o + 1];
      const along = Math.max(0, Math.min(1, ((x - l[o]) * sx + (y - l[o + 1]) * sy) / (sx * sx + sy * sy)));
      inMouth =
        (x - l[o]) * l[o + 4] + (y - l[o + 1]) * l[o + 5] >= 0 &&
        Math.hypot(x - l[o] - along * sx, y - l[o + 1] - along * sy) >= R - tolerance_m;
      const c = (2 * p + k) * CIRCLE_STRIDE;
      const jaw = geometry.circles;
      inMouth &&= Math.hypot(x - jaw[c], y - jaw[c + 1]) >= R + jaw[c + 2] - tolerance_m;
    }
    if (inMouth) return true;
  }
  return false;
}
