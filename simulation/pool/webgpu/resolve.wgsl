// RESOLVE: what happens at an event; the WGSL of resolve.ts (see there for the models and sources).

const IMPACT_MIN_APPROACH_M_S: f32 = 0.5 * EPS_APPROACH_M_S;
const PUSH_APPROACH_M_S: f32 = 2.0 * EPS_APPROACH_M_S;
const REST_PASSES: u32 = 8u;

/** Gives ball k the state its velocities imply, snapping tiny slips, speeds and spins to exactly zero. */
fn settle_state(k: u32) {
  if (state[k] == BALL_POCKETED) { return; }
  let ux = vx[k] - p.R * wy[k];
  let uy = vy[k] + p.R * wx[k];
  if (ux * ux + uy * uy > EPS_SLIP_M_S * EPS_SLIP_M_S) {
    state[k] = BALL_SLIDING;
    return;
  }
  let v2 = vx[k] * vx[k] + vy[k] * vy[k];
  if (v2 > EPS_SPEED_M_S * EPS_SPEED_M_S) {
    wx[k] = -vy[k] / p.R;
    wy[k] = vx[k] / p.R;
    state[k] = BALL_ROLLING;
    return;
  }
  stop_rolling(k);
}

// The ball has no speed left: it spins in place if it still has z-spin, else it is at rest.
fn stop_rolling(k: u32) {
  vx[k] = 0.0;
  vy[k] = 0.0;
  wx[k] = 0.0;
  wy[k] = 0.0;
  if (abs(wz[k]) > EPS_SPIN_RAD_S) {
    state[k] = BALL_SPINNING;
  } else {
    wz[k] = 0.0;
    state[k] = BALL_STATIONARY;
  }
}

/** The state change that ball k's transition time announced. */
fn resolve_transition(k: u32) {
  let s = state[k];
  if (s == BALL_SLIDING) {
    wx[k] = -vy[k] / p.R;
    wy[k] = vx[k] / p.R;
    let v2 = vx[k] * vx[k] + vy[k] * vy[k];
    if (v2 > EPS_SPEED_M_S * EPS_SPEED_M_S) {
      state[k] = BALL_ROLLING;
      return;
    }
  } else if (s == BALL_SPINNING) {
    wz[k] = 0.0;
  }
  stop_rolling(k);
}

/** Collision of balls i and j, touching now. */
fn resolve_ball_ball(i: u32, j: u32) {
  let dx = px[j] - px[i];
  let dy = py[j] - py[i];
  let dist = sqrt(dx * dx + dy * dy);
  if (dist == 0.0) { return; }
  let nx = dx / dist; // line of centres, i → j
  let ny = dy / dist;
  if (dist < p.two_R) {
    let half = 0.5 * (p.two_R - dist);
    px[i] = px[i] - half * nx;
    py[i] = py[i] - half * ny;
    px[j] = px[j] + half * nx;
    py[j] = py[j] + half * ny;
  }
  let tx = -ny; // tangent ẑ × n
  let ty = nx;
  var v1n = vx[i] * nx + vy[i] * ny;
  var v2n = vx[j] * nx + vy[j] * ny;
  var approach = v1n - v2n;
  if (approach <= IMPACT_MIN_APPROACH_M_S) {
    // At rest against each other, pressed together: a sliding ball pushes the other along.
    var pushed = false;
    if (state[i] == BALL_SLIDING) { pushed = end_slide(i); }
    if (state[j] == BALL_SLIDING) { pushed = end_slide(j) || pushed; }
    if (!pushed) { return; }
    v1n = vx[i] * nx + vy[i] * ny;
    v2n = vx[j] * nx + vy[j] * ny;
    approach = v1n - v2n;
    if (approach <= IMPACT_MIN_APPROACH_M_S) { return; }
  }
  let v1t = vx[i] * tx + vy[i] * ty;
  let v2t = vx[j] * tx + vy[j] * ty;
  // A ball pushed along by another: a sustained contact does no work along the normal.
  let e = select(p.e_ball, 1.0, approach <= PUSH_APPROACH_M_S);
  let v1nAfter = 0.5 * ((1.0 - e) * v1n + (1.0 + e) * v2n);
  let v2nAfter = 0.5 * ((1.0 + e) * v1n + (1.0 - e) * v2n);
  let normalImpulse = (0.5 * (1.0 + e)) * approach;
  let slipT = (v1t - v2t) + p.R * (wz[i] + wz[j]);
  let slipZ = p.R * ((wx[i] + wx[j]) * ny - (wy[i] + wy[j]) * nx);
  let slip = sqrt(slipT * slipT + slipZ * slipZ);
  var jt: f32 = 0.0;
  var jz: f32 = 0.0;
  if (slip > 0.0 && p.mu_ball > 0.0) {
    let magnitude = min(p.mu_ball * normalImpulse, slip / 7.0);
    jt = -(magnitude * (slipT / slip));
    jz = -(magnitude * (slipZ / slip));
  }
  vx[i] = v1nAfter * nx + (v1t + jt) * tx;
  vy[i] = v1nAfter * ny + (v1t + jt) * ty;
  vx[j] = v2nAfter * nx + (v2t - jt) * tx;
  vy[j] = v2nAfter * ny + (v2t - jt) * ty;
  if (jt != 0.0 || jz != 0.0) {
    let dwz = p.five_over_two_R * jt;
    let dwt = -(p.five_over_two_R * jz);
    let dwx = dwt * tx;
    let dwy = dwt * ty;
    wx[i] = wx[i] + dwx;
    wy[i] = wy[i] + dwy;
    wz[i] = wz[i] + dwz;
    wx[j] = wx[j] + dwx;
    wy[j] = wy[j] + dwy;
    wz[j] = wz[j] + dwz;
  }
  settle_state(i);
  settle_state(j);
  separate(i, j, nx, ny);
}

/** Ball k, sliding, is held against another body: the rest of its slide's friction impulse is applied now. */
fn end_slide(k: u32) -> bool {
  if (p.slip_decel <= 0.0) { return false; }
  let ux = vx[k] - p.R * wy[k];
  let uy = vy[k] + p.R * wx[k];
  let u = sqrt(ux * ux + uy * uy);
  if (u == 0.0) { return false; }
  let t = u / p.slip_decel;
  let ex = ux / u;
  let ey = uy / u;
  let dv = p.slide_decel * t;
  let dw = p.slide_spin_accel * t;
  vx[k] = vx[k] - dv * ex;
  vy[k] = vy[k] - dv * ey;
  wx[k] = wx[k] - dw * ey;
  wy[k] = wy[k] + dw * ex;
  settle_state(k);
  return true;
}

/** After an impact the pair must not still approach: what is left of the approach is shared. */
fn separate(i: u32, j: u32, nx: f32, ny: f32) {
  let v1n = vx[i] * nx + vy[i] * ny;
  let v2n = vx[j] * nx + vy[j] * ny;
  let rest = v1n - v2n;
  if (rest <= 0.0) { return; }
  let half = 0.5 * rest;
  vx[i] = vx[i] - half * nx;
  vy[i] = vy[i] - half * ny;
  vx[j] = vx[j] + half * nx;
  vy[j] = vy[j] + half * ny;
  settle_state(i);
  settle_state(j);
}

/** Ball k meets a cushion whose unit surface normal (towards the ball) is (nx, ny): Han (2005). */
fn resolve_ball_cushion(k: u32, nx: f32, ny: f32) {
  let xx = -nx;
  let xy = -ny;
  let yx = -xy;
  let yy = xx;
  var cvx = vx[k] * xx + vy[k] * xy;
  if (cvx <= IMPACT_MIN_APPROACH_M_S) {
    if (state[k] != BALL_SLIDING || !end_slide(k)) { return; }
    cvx = vx[k] * xx + vy[k] * xy;
    if (cvx <= IMPACT_MIN_APPROACH_M_S) { return; }
  }
  let cvy = vx[k] * yx + vy[k] * yy;
  let cwx = wx[k] * xx + wy[k] * xy;
  let cwy = wx[k] * yx + wy[k] * yy;
  let cwz = wz[k];
  let sin_t = table_cushion_sin();
  let cos_t = table_cushion_cos();
  let R = p.R;
  var e = p.e_cushion;
  if (cvx > p.cushion_knee_m_s) {
    e = e - p.cushion_slope_s_m * (cvx - p.cushion_knee_m_s);
    if (e < p.cushion_e_min) { e = p.cushion_e_min; }
  }
  let sx = cvx * sin_t + R * cwy;
  let sy = (-cvy - (R * cwz) * cos_t) + (R * cwx) * sin_t;
  let normal = (1.0 + e) * (cvx * cos_t);
  let slip = sqrt(sx * sx + sy * sy);
  var k_f: f32 = 0.0;
  if (slip > 0.0) {
    let stick = (2.0 * slip) / 7.0;
    let limit = p.mu_cushion * normal;
    k_f = select(limit / slip, 2.0 / 7.0, stick <= limit);
  }
  let PX = -((k_f * sx) * sin_t) - normal * cos_t;
  let PY = k_f * sy;
  let PZ = (k_f * sx) * cos_t - normal * sin_t;
  let nvx = min(cvx + PX, 0.0);
  let nvy = cvy + PY;
  let c5 = p.five_over_two_R;
  let nwx = cwx - (c5 * PY) * sin_t;
  let nwy = cwy + c5 * (PX * sin_t - PZ * cos_t);
  let nwz = cwz + (c5 * PY) * cos_t;
  vx[k] = nvx * xx + nvy * yx;
  vy[k] = nvx * xy + nvy * yy;
  wx[k] = nwx * xx + nwy * yx;
  wy[k] = nwx * xy + nwy * yy;
  wz[k] = nwz;
  settle_state(k);
}

/** Ball k drops into pocket q. */
fn resolve_pocket(k: u32, q: i32) {
  state[k] = BALL_POCKETED;
  pocket[k] = q;
  vx[k] = 0.0;
  vy[k] = 0.0;
  wx[k] = 0.0;
  wy[k] = 0.0;
  wz[k] = 0.0;
}

/** The shot is over: pairs a hair inside each other are set touching, balls a hair behind a nose set against it. */
fn rest_table() {
  for (var sweep = 0u; sweep < REST_PASSES; sweep++) {
    var moved = false;
    for (var i = 0u; i < ball_count; i++) {
      if (state[i] == BALL_POCKETED) { continue; }
      for (var j = i + 1u; j < ball_count; j++) {
        if (state[j] == BALL_POCKETED) { continue; }
        let dx = px[j] - px[i];
        let dy = py[j] - py[i];
        let dist = sqrt(dx * dx + dy * dy);
        if (dist >= p.two_R || dist == 0.0) { continue; }
        let nx = dx / dist;
        let ny = dy / dist;
        let half = 0.5 * (p.two_R - dist);
        px[i] = px[i] - half * nx;
        py[i] = py[i] - half * ny;
        px[j] = px[j] + half * nx;
        py[j] = py[j] + half * ny;
        moved = true;
      }
      for (var c = 0u; c < LINE_CUSHION_COUNT; c++) {
        let p1x = table_line(c, 0u);
        let p1y = table_line(c, 1u);
        let sx = table_line(c, 2u) - p1x;
        let sy = table_line(c, 3u) - p1y;
        let along = (px[i] - p1x) * sx + (py[i] - p1y) * sy;
        if (along < 0.0 || along > sx * sx + sy * sy) { continue; }
        let nx = table_line(c, 4u);
        let ny = table_line(c, 5u);
        let g = ((px[i] - p1x) * nx + (py[i] - p1y) * ny) - p.R;
        if (g >= 0.0 || g <= -CONTACT_SLACK_M) { continue; }
        px[i] = px[i] - g * nx;
        py[i] = py[i] - g * ny;
        moved = true;
      }
    }
    if (!moved) { break; }
  }
}

/** Every ball that still moves stops where it is (a cap was reached). */
fn stop_all() {
  for (var i = 0u; i < ball_count; i++) {
    if (state[i] == BALL_POCKETED) { continue; }
    vx[i] = 0.0;
    vy[i] = 0.0;
    wx[i] = 0.0;
    wy[i] = 0.0;
    wz[i] = 0.0;
    state[i] = BALL_STATIONARY;
  }
}
