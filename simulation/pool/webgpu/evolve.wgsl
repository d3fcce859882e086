// EVOLVE: how a ball moves between events; line for line the WGSL of evolve.ts (see there for the model).
// Ball k indexes this shot's private ball arrays.

const EPS_SPEED_M_S: f32 = 1e-5;
const EPS_SLIP_M_S: f32 = 1e-5;
const EPS_SPIN_RAD_S: f32 = 1e-4;

/** Acceleration of ball k in its current state (m/s²). */
fn ball_acceleration(k: u32) -> vec2<f32> {
  let s = state[k];
  if (s == BALL_SLIDING) {
    let ux = vx[k] - p.R * wy[k];
    let uy = vy[k] + p.R * wx[k];
    let u = sqrt(ux * ux + uy * uy);
    if (u > 0.0) {
      return vec2<f32>(-(p.slide_decel * (ux / u)), -(p.slide_decel * (uy / u)));
    }
  } else if (s == BALL_ROLLING) {
    let v = sqrt(vx[k] * vx[k] + vy[k] * vy[k]);
    if (v > 0.0) {
      return vec2<f32>(-(p.roll_decel * (vx[k] / v)), -(p.roll_decel * (vy[k] / v)));
    }
  }
  return vec2<f32>(0.0, 0.0);
}

/** Time until ball k leaves its current state, or NO_EVENT_S. */
fn transition_time(k: u32) -> f32 {
  let s = state[k];
  if (s == BALL_SLIDING) {
    if (p.slip_decel <= 0.0) { return NO_EVENT_S; }
    let ux = vx[k] - p.R * wy[k];
    let uy = vy[k] + p.R * wx[k];
    return sqrt(ux * ux + uy * uy) / p.slip_decel;
  }
  if (s == BALL_ROLLING) {
    if (p.roll_decel <= 0.0) { return NO_EVENT_S; }
    return sqrt(vx[k] * vx[k] + vy[k] * vy[k]) / p.roll_decel;
  }
  if (s == BALL_SPINNING) {
    if (p.spin_decel <= 0.0) { return NO_EVENT_S; }
    return abs(wz[k]) / p.spin_decel;
  }
  return NO_EVENT_S;
}

fn decay_spin_z(k: u32, dt: f32) {
  let w = wz[k];
  let drop = p.spin_decel * dt;
  if (w > 0.0) {
    wz[k] = select(0.0, w - drop, w > drop);
  } else if (w < 0.0) {
    wz[k] = select(0.0, w + drop, -w > drop);
  }
}

/** Moves ball k forward by dt within its current state. */
fn evolve_ball(k: u32, dt: f32) {
  let s = state[k];
  if (s == BALL_STATIONARY || s == BALL_POCKETED || dt <= 0.0) { return; }
  if (s == BALL_SPINNING) {
    decay_spin_z(k, dt);
    return;
  }
  let v0x = vx[k];
  let v0y = vy[k];
  if (s == BALL_SLIDING) {
    let ux = v0x - p.R * wy[k];
    let uy = v0y + p.R * wx[k];
    let u = sqrt(ux * ux + uy * uy);
    if (u > 0.0) {
      let t = min(dt, u / p.slip_decel);
      let ex = ux / u;
      let ey = uy / u;
      let dv = p.slide_decel * t;
      let half = (0.5 * dv) * t;
      px[k] = px[k] + (v0x * t - half * ex);
      py[k] = py[k] + (v0y * t - half * ey);
      vx[k] = v0x - dv * ex;
      vy[k] = v0y - dv * ey;
      // Torque R·ẑ × (friction) spins the ball up about ẑ × û.
      let dw = p.slide_spin_accel * t;
      wx[k] = wx[k] - dw * ey;
      wy[k] = wy[k] + dw * ex;
    } else {
      px[k] = px[k] + v0x * dt;
      py[k] = py[k] + v0y * dt;
    }
  } else {
    let v = sqrt(v0x * v0x + v0y * v0y);
    if (v > 0.0) {
      let t = min(dt, v / p.roll_decel);
      let ex = v0x / v;
      let ey = v0y / v;
      let dv = p.roll_decel * t;
      let half = (0.5 * dv) * t;
      px[k] = px[k] + (v0x * t - half * ex);
      py[k] = py[k] + (v0y * t - half * ey);
      let nvx = v0x - dv * ex;
      let nvy = v0y - dv * ey;
      vx[k] = nvx;
      vy[k] = nvy;
      wx[k] = -nvy / p.R;
      wy[k] = nvx / p.R;
    }
  }
  decay_spin_z(k, dt);
}
