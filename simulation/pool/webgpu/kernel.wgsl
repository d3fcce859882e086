// The per-shot event loop; the WGSL of kernel.ts. One invocation runs one shot: detect the earliest event, evolve
// every ball to it, resolve it, record it; repeat until every ball is at rest or a cap is reached.

const EVENT_TIME_CAP: i32 = 100;
// Margin on the skip test so rounding in it can never skip a contact that detection would find.
const REACH_SLACK_M: f32 = 1e-4;
// Contact tests per ball: pockets, cushion lines and jaw circles.
const TARGETS_PER_BALL: u32 = POCKET_COUNT + LINE_CUSHION_COUNT + CIRCLE_CUSHION_COUNT;


var<private> ax: array<f32, BALLS_PER_TABLE>;
var<private> ay: array<f32, BALLS_PER_TABLE>;
var<private> speed: array<f32, BALLS_PER_TABLE>;
// BALLS_PER_TABLE as a run-time value (see Config.balls).
var<private> ball_count: u32;

fn is_moving(s: i32) -> bool {
  return s == BALL_SLIDING || s == BALL_ROLLING;
}

/** Upper bound on how far a ball with this speed and acceleration travels in time T. */
fn reach(v: f32, a: f32, T: f32) -> f32 {
  return v * T + 0.5 * a * T * T + REACH_SLACK_M;
}

fn record_keyframe(s: u32, k: u32, t: f32) {
  let n = u32(shot_i[3u * config.shot_count + s]);
  if (n >= config.keyframe_capacity) {
    shot_i[4u * config.shot_count + s] |= FLAG_KEYFRAME_BUFFER_OVERFLOW;
    return;
  }
  let i = n * config.shot_count + s;
  let K = config.shot_count * config.keyframe_capacity;
  kf_f[i] = t;
  kf_i[i] = i32(k);
  kf_i[K + i] = state[k];
  let o = K + i * KEYFRAME_STRIDE;
  kf_f[o] = px[k];
  kf_f[o + 1u] = py[k];
  kf_f[o + 2u] = vx[k];
  kf_f[o + 3u] = vy[k];
  kf_f[o + 4u] = wx[k];
  kf_f[o + 5u] = wy[k];
  kf_f[o + 6u] = wz[k];
  shot_i[3u * config.shot_count + s] = i32(n + 1u);
}

fn record_event(s: u32, kind: i32, t: f32, a: i32, b: i32) {
  let n = u32(shot_i[2u * config.shot_count + s]);
  if (n >= config.event_capacity) {
    shot_i[4u * config.shot_count + s] |= FLAG_EVENT_BUFFER_OVERFLOW;
    return;
  }
  let i = n * config.shot_count + s;
  let E = config.shot_count * config.event_capacity;
  ev_i[i] = kind;
  ev_f[i] = t;
  ev_i[E + i] = a;
  ev_i[2u * E + i] = b;
  shot_i[2u * config.shot_count + s] = i32(n + 1u);
}

// Unit normal of cushion c at ball k's contact, pointing from the cushion towards the ball.
fn cushion_normal(k: u32, c: u32) -> vec2<f32> {
  if (c < LINE_CUSHION_COUNT) {
    return vec2<f32>(table_line(c, 4u), table_line(c, 5u));
  }
  let q = c - LINE_CUSHION_COUNT;
  let dx = px[k] - table_circle(q, 0u);
  let dy = py[k] - table_circle(q, 1u);
  let d = sqrt(dx * dx + dy * dy);
  return vec2<f32>(dx / d, dy / d);
}

/** Runs shot s to rest (or to a cap). Ball states are settled (settleState) by the host on entry. */
fn simulate_shot_kernel(s: u32) {
  let N = config.shot_count;
  let maxTime = config.max_time_s;
  let R = p.R;
  let recordTransitions = config.record_transitions != 0u;
  var t: f32 = 0.0;
  shot_i[2u * N + s] = 0;
  shot_i[3u * N + s] = 0;
  shot_i[4u * N + s] = 0;
  for (var i = 0u; i < ball_count; i++) {
    if (state[i] != BALL_POCKETED) { record_keyframe(s, i, 0.0); }
  }
  var step = 0u;
  for (; step < config.max_steps; step++) {
    // DETECT ------------------------------------------------------------------------------------------------
    var best = NO_EVENT_S;
    var kind = 0;
    var ea = -1;
    var eb = -1;
    for (var i = 0u; i < ball_count; i++) {
      let a = ball_acceleration(i);
      ax[i] = a.x;
      ay[i] = a.y;
      speed[i] = sqrt(vx[i] * vx[i] + vy[i] * vy[i]);
      let tt = transition_time(i);
      if (tt < best) {
        best = tt;
        kind = EVENT_TRANSITION;
        ea = i32(i);
      }
    }
    if (kind == 0) {
      var anyMoving = false;
      for (var i = 0u; i < ball_count && !anyMoving; i++) { anyMoving = is_moving(state[i]); }
      if (!anyMoving) { break; }
    }
    let remaining = maxTime - t;
    if (remaining < best) {
      best = remaining;
      kind = EVENT_TIME_CAP;
      ea = -1;
    }
    // Every contact test in the order of kernel.ts (each moving ball against the pockets, the cushion lines and
    // the jaw circles, then every pair of balls), flattened into one loop so that each root finder has a single
    // call site: the shader compiler inlines every call, and one copy keeps the compiled program small.
    for (var w = 0u; w < ball_count * TARGETS_PER_BALL + ball_count * ball_count; w++) {
      var i: u32;
      var dx: f32;
      var dy: f32;
      var d1x: f32;
      var d1y: f32;
      var d2x: f32;
      var d2y: f32;
      var D: f32;
      var bound: f32;
      var candidate: i32;
      var other: i32;
      var pressable: bool;
      if (w < ball_count * TARGETS_PER_BALL) {
        i = w / TARGETS_PER_BALL;
        let c = w % TARGETS_PER_BALL;
        if (!is_moving(state[i])) { continue; }
        let reachI = reach(speed[i], sqrt(ax[i] * ax[i] + ay[i] * ay[i]), best);
        if (c >= POCKET_COUNT && c < POCKET_COUNT + LINE_CUSHION_COUNT) {
          let line = c - POCKET_COUNT;
          if (point_segment_distance(px[i], py[i], line) - R > reachI) { continue; }
          let tc = line_contact_time(px[i], py[i], vx[i], vy[i], ax[i], ay[i], line, R, best, state[i] == BALL_SLIDING);
          if (tc < best) {
            best = tc;
            kind = EVENT_BALL_CUSHION;
            ea = i32(i);
            eb = i32(line);
          }
          continue;
        }
        if (c < POCKET_COUNT) {
          dx = px[i] - table_pocket(c, 0u);
          dy = py[i] - table_pocket(c, 1u);
          D = table_pocket(c, 2u);
          candidate = EVENT_BALL_POCKET;
          other = i32(c);
          pressable = false;
        } else {
          let q = c - POCKET_COUNT - LINE_CUSHION_COUNT;
          dx = px[i] - table_circle(q, 0u);
          dy = py[i] - table_circle(q, 1u);
          D = R + table_circle(q, 2u);
          candidate = EVENT_BALL_CUSHION;
          other = i32(LINE_CUSHION_COUNT + q);
          pressable = state[i] == BALL_SLIDING;
        }
        d1x = vx[i];
        d1y = vy[i];
        d2x = ax[i];
        d2y = ay[i];
        bound = reachI;
      } else {
        i = (w - ball_count * TARGETS_PER_BALL) / ball_count;
        let j = (w - ball_count * TARGETS_PER_BALL) % ball_count;
        let si = state[i];
        let sj = state[j];
        if (j <= i || si == BALL_POCKETED) { continue; }
        if (sj == BALL_POCKETED || !(is_moving(si) || is_moving(sj))) { continue; }
        dx = px[j] - px[i];
        dy = py[j] - py[i];
        d1x = vx[j] - vx[i];
        d1y = vy[j] - vy[i];
        d2x = ax[j] - ax[i];
        d2y = ay[j] - ay[i];
        D = p.two_R;
        bound = reach(speed[i], sqrt(ax[i] * ax[i] + ay[i] * ay[i]), best) +
          reach(speed[j], sqrt(ax[j] * ax[j] + ay[j] * ay[j]), best);
        candidate = EVENT_BALL_BALL;
        other = i32(j);
        pressable = si == BALL_SLIDING || sj == BALL_SLIDING;
      }
      if (sqrt(dx * dx + dy * dy) - D > bound) { continue; }
      let tc = first_approach_time(dx, dy, d1x, d1y, d2x, d2y, D, best, pressable);
      if (tc < best) {
        best = tc;
        kind = candidate;
        ea = i32(i);
        eb = other;
      }
    }

    // EVOLVE ------------------------------------------------------------------------------------------------
    for (var i = 0u; i < ball_count; i++) { evolve_ball(i, best); }
    t = t + best;
    if (kind == EVENT_TIME_CAP) {
      shot_i[4u * N + s] |= FLAG_TIME_CAP_REACHED;
      break;
    }

    // RESOLVE -----------------------------------------------------------------------------------------------
    let ka = u32(ea);
    if (kind == EVENT_TRANSITION) {
      resolve_transition(ka);
      if (recordTransitions) { record_event(s, EVENT_TRANSITION, t, ea, state[ka]); }
      record_keyframe(s, ka, t);
    } else if (kind == EVENT_BALL_POCKET) {
      resolve_pocket(ka, eb);
      record_event(s, EVENT_BALL_POCKET, t, ea, eb);
      record_keyframe(s, ka, t);
    } else if (kind == EVENT_BALL_CUSHION) {
      let n = cushion_normal(ka, u32(eb));
      resolve_ball_cushion(ka, n.x, n.y);
      record_event(s, EVENT_BALL_CUSHION, t, ea, eb);
      record_keyframe(s, ka, t);
    } else {
      resolve_ball_ball(ka, u32(eb));
      record_event(s, EVENT_BALL_BALL, t, ea, eb);
      record_keyframe(s, ka, t);
      record_keyframe(s, u32(eb), t);
    }
  }
  if (step == config.max_steps) { shot_i[4u * N + s] |= FLAG_STEP_CAP_REACHED; }
  shot_i[N + s] = i32(step);
  ball_f[7u * N * BALLS_PER_TABLE + s] = t;
  for (var i = 0u; i < ball_count; i++) {
    if (state[i] != BALL_POCKETED && state[i] != BALL_STATIONARY) { record_keyframe(s, i, t); }
  }
  // A cap ends the shot all the same: the balls stop where they are, and the table is left valid for the next one.
  if ((shot_i[4u * N + s] & (FLAG_STEP_CAP_REACHED | FLAG_TIME_CAP_REACHED)) != 0) { stop_all(); }
  rest_table();
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn simulate_shots(@builtin(global_invocation_id) gid: vec3<u32>) {
  let s = gid.x;
  let N = config.shot_count;
  if (s >= N) { return; }
  let nb = N * BALLS_PER_TABLE;
  p = load_params();
  ball_count = min(config.balls, BALLS_PER_TABLE);
  table_base = TABLE_BASE + u32(shot_i[s]) * TABLE_STRIDE;
  for (var i = 0u; i < ball_count; i++) {
    let k = s * BALLS_PER_TABLE + i;
    px[i] = ball_f[k];
    py[i] = ball_f[nb + k];
    vx[i] = ball_f[2u * nb + k];
    vy[i] = ball_f[3u * nb + k];
    wx[i] = ball_f[4u * nb + k];
    wy[i] = ball_f[5u * nb + k];
    wz[i] = ball_f[6u * nb + k];
    state[i] = ball_i[k];
    pocket[i] = ball_i[nb + k];
  }
  simulate_shot_kernel(s);
  for (var i = 0u; i < ball_count; i++) {
    let k = s * BALLS_PER_TABLE + i;
    ball_f[k] = px[i];
    ball_f[nb + k] = py[i];
    ball_f[2u * nb + k] = vx[i];
    ball_f[3u * nb + k] = vy[i];
    ball_f[4u * nb + k] = wx[i];
    ball_f[5u * nb + k] = wy[i];
    ball_f[6u * nb + k] = wz[i];
    ball_i[k] = state[i];
    ball_i[nb + k] = pocket[i];
  }
}
