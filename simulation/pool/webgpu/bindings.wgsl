// Buffers and parameters: the WGSL side of ball-state.ts (ShotBatch) and kernel-params.ts (KernelParams,
// KernelTable). Constants shared with the TypeScript (ball states, event types, flags, counts) are prepended by the
// host from the TypeScript definitions, so the two can never disagree.
//
// Per-ball arrays are SoA segments of nb = shot_count·16 entries. Events and keyframes are stored row-major by
// slot: entry n of shot s sits at n·shot_count + s, so the first rows of every shot are one contiguous range and
// the host reads back only the rows some shot used.

struct Config {
  shot_count: u32,
  event_capacity: u32,
  keyframe_capacity: u32,
  max_steps: u32,
  record_transitions: u32,
  max_time_s: f32,
  // Always BALLS_PER_TABLE; read at run time so the shader compiler keeps the per-ball loops as loops (unrolling
  // them multiplies the program and its compile time many times over).
  balls: u32,
  // Always MAX_BISECTION_STEPS, read at run time for the same reason.
  bisection_steps: u32,
}

@group(0) @binding(0) var<uniform> config: Config;
// KernelParams (PARAM_* offsets), then one KernelTable per table size at TABLE_BASE + size·TABLE_STRIDE.
@group(0) @binding(1) var<storage, read> params: array<f32>;
// px, py, vx, vy, wx, wy, wz (segments of nb), then time_s (shot_count).
@group(0) @binding(2) var<storage, read_write> ball_f: array<f32>;
// state, pocket (segments of nb).
@group(0) @binding(3) var<storage, read_write> ball_i: array<i32>;
// table, steps, event_count, keyframe_count, flags (segments of shot_count).
@group(0) @binding(4) var<storage, read_write> shot_i: array<i32>;
// ev_type, ev_a, ev_b (segments of shot_count·event_capacity).
@group(0) @binding(5) var<storage, read_write> ev_i: array<i32>;
// ev_time.
@group(0) @binding(6) var<storage, read_write> ev_f: array<f32>;
// kf_ball, kf_state (segments of shot_count·keyframe_capacity).
@group(0) @binding(7) var<storage, read_write> kf_i: array<i32>;
// kf_time (shot_count·keyframe_capacity), then kf_data (× KEYFRAME_STRIDE).
@group(0) @binding(8) var<storage, read_write> kf_f: array<f32>;

struct KernelParams {
  R: f32,
  two_R: f32,
  five_over_two_R: f32,
  slide_decel: f32,
  slide_spin_accel: f32,
  slip_decel: f32,
  roll_decel: f32,
  spin_decel: f32,
  e_ball: f32,
  mu_ball: f32,
  e_cushion: f32,
  mu_cushion: f32,
  cushion_knee_m_s: f32,
  cushion_slope_s_m: f32,
  cushion_e_min: f32,
}

fn load_params() -> KernelParams {
  return KernelParams(
    params[0], params[1], params[2], params[3], params[4], params[5], params[6], params[7],
    params[8], params[9], params[10], params[11], params[12], params[13], params[14],
  );
}

// The shot this invocation runs: its 16 balls live in private memory for the whole event loop.
var<private> p: KernelParams;
var<private> table_base: u32; // offset of this shot's KernelTable in params
var<private> px: array<f32, BALLS_PER_TABLE>;
var<private> py: array<f32, BALLS_PER_TABLE>;
var<private> vx: array<f32, BALLS_PER_TABLE>;
var<private> vy: array<f32, BALLS_PER_TABLE>;
var<private> wx: array<f32, BALLS_PER_TABLE>;
var<private> wy: array<f32, BALLS_PER_TABLE>;
var<private> wz: array<f32, BALLS_PER_TABLE>;
var<private> state: array<i32, BALLS_PER_TABLE>;
var<private> pocket: array<i32, BALLS_PER_TABLE>;

// KernelTable accessors for this shot's table.
fn table_line(c: u32, field: u32) -> f32 {
  return params[table_base + TABLE_LINES + c * LINE_STRIDE + field];
}
fn table_circle(c: u32, field: u32) -> f32 {
  return params[table_base + TABLE_CIRCLES + c * CIRCLE_STRIDE + field];
}
fn table_pocket(q: u32, field: u32) -> f32 {
  return params[table_base + TABLE_POCKETS + q * CIRCLE_STRIDE + field];
}
fn table_cushion_sin() -> f32 {
  return params[table_base + TABLE_CUSHION_SIN];
}
fn table_cushion_cos() -> f32 {
  return params[table_base + TABLE_CUSHION_COS];
}
