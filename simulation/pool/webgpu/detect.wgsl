// DETECT: when is the next event; the WGSL of detect.ts. Contacts are first roots of polynomials in t on [0, T],
// isolated between critical points and bisected, with the same bounded loops as the TypeScript.

const CONTACT_SLACK_M: f32 = 1e-4;

// h(t) = d(t)·d'(t): half the derivative of |d(t)|².
fn half_slope(t: f32, d0x: f32, d0y: f32, d1x: f32, d1y: f32, hx: f32, hy: f32) -> f32 {
  let dx = d0x + t * (d1x + hx * t);
  let dy = d0y + t * (d1y + hy * t);
  let sx = d1x + (2.0 * hx) * t;
  let sy = d1y + (2.0 * hy) * t;
  return dx * sx + dy * sy;
}

fn gap(t: f32, d0x: f32, d0y: f32, d1x: f32, d1y: f32, hx: f32, hy: f32, D2: f32) -> f32 {
  let dx = d0x + t * (d1x + hx * t);
  let dy = d0y + t * (d1y + hy * t);
  return (dx * dx + dy * dy) - D2;
}

// Roots in (0, T) of A·t² + B·t + C, sorted, appended to critical from index n; returns the new count.
fn quadratic_roots(A: f32, B: f32, C: f32, T: f32, critical: ptr<function, array<f32, 8>>, n0: u32) -> u32 {
  var n = n0;
  var r1 = NO_EVENT_S;
  var r2 = NO_EVENT_S;
  if (A == 0.0) {
    if (B != 0.0) { r1 = -C / B; }
  } else {
    let disc = B * B - (4.0 * A) * C;
    if (disc < 0.0) { return n; }
    let sq = sqrt(disc);
    let q = -0.5 * select(B - sq, B + sq, B >= 0.0);
    r1 = q / A;
    r2 = select(r1, C / q, q != 0.0);
    if (r2 < r1) {
      let tmp = r1;
      r1 = r2;
      r2 = tmp;
    }
  }
  if (r1 > 0.0 && r1 < T) {
    (*critical)[n] = r1;
    n++;
  }
  if (r2 > 0.0 && r2 < T && r2 != r1) {
    (*critical)[n] = r2;
    n++;
  }
  return n;
}

/**
 * First time in [0, T] at which two points on parabolas make contact (distance D), or NO_EVENT_S: apart, where the
 * gap falls to zero; touching, once they approach faster than EPS_APPROACH_M_S (see detect.ts).
 */
fn first_approach_time(d0x: f32, d0y: f32, d1x: f32, d1y: f32, d2x: f32, d2y: f32, D: f32, T: f32, pressable: bool) -> f32 {
  var critical: array<f32, 8>; // [0,1]: critical points of h; [4,6]: roots of h
  let hx = 0.5 * d2x;
  let hy = 0.5 * d2y;
  let D2 = D * D;
  let A = 1.5 * (d2x * d2x + d2y * d2y);
  let B = 3.0 * (d1x * d2x + d1y * d2y);
  let C = (d1x * d1x + d1y * d1y) + (d0x * d2x + d0y * d2y);
  let restH = D * EPS_APPROACH_M_S;
  var touching = gap(0.0, d0x, d0y, d1x, d1y, hx, hy, D2) <= 0.0;
  if (touching) {
    let h0 = half_slope(0.0, d0x, d0y, d1x, d1y, hx, hy);
    if (h0 < -restH || (pressable && h0 <= restH && C < 0.0)) { return 0.0; }
  }
  let nh = quadratic_roots(A, B, C, T, &critical, 0u);
  var nRoots = 0u;
  var a: f32 = 0.0;
  var ha = half_slope(0.0, d0x, d0y, d1x, d1y, hx, hy);
  for (var i = 0u; i <= nh; i++) {
    let bnd = select(T, critical[i], i < nh);
    let hb = half_slope(bnd, d0x, d0y, d1x, d1y, hx, hy);
    if ((ha < 0.0 && hb > 0.0) || (ha > 0.0 && hb < 0.0)) {
      var lo = a;
      var hi = bnd;
      let loNeg = ha < 0.0;
      for (var it = 0u; it < config.bisection_steps; it++) {
        let mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) { break; }
        let hm = half_slope(mid, d0x, d0y, d1x, d1y, hx, hy);
        if ((hm < 0.0) == loNeg) { lo = mid; } else { hi = mid; }
      }
      critical[4u + nRoots] = 0.5 * (lo + hi);
      nRoots++;
    }
    a = bnd;
    ha = hb;
  }
  // Between consecutive points of both lists (merged) the gap and h are both monotone.
  var ic = 0u;
  var ir = 0u;
  a = 0.0;
  for (var piece = 0u; piece <= nh + nRoots; piece++) {
    var c = T;
    if (ic < nh && (ir >= nRoots || critical[ic] <= critical[4u + ir])) {
      c = critical[ic];
      ic++;
    } else if (ir < nRoots) {
      c = critical[4u + ir];
      ir++;
    }
    let gc = gap(c, d0x, d0y, d1x, d1y, hx, hy, D2);
    let hc = half_slope(c, d0x, d0y, d1x, d1y, hx, hy);
    if (!touching && gc <= 0.0) {
      var lo = a;
      var hi = c;
      for (var it = 0u; it < config.bisection_steps; it++) {
        let mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) { break; }
        if (gap(mid, d0x, d0y, d1x, d1y, hx, hy, D2) > 0.0) { lo = mid; } else { hi = mid; }
      }
      let hTouch = half_slope(hi, d0x, d0y, d1x, d1y, hx, hy);
      let pressing = ((A * hi + B) * hi + C) < 0.0;
      if (hTouch < -restH || (pressable && pressing)) { return lo; } // the balls never interpenetrate
      touching = true;
      a = hi;
    }
    if (touching) {
      if (gc > 0.0) {
        touching = false;
      } else if (hc < -restH) {
        var lo = a;
        var hi = c;
        for (var it = 0u; it < config.bisection_steps; it++) {
          let mid = 0.5 * (lo + hi);
          if (mid <= lo || mid >= hi) { break; }
          if (half_slope(mid, d0x, d0y, d1x, d1y, hx, hy) >= -restH) { lo = mid; } else { hi = mid; }
        }
        return hi;
      }
    }
    a = c;
  }
  return NO_EVENT_S;
}

/** First time in [0, T] at which a ball of radius R reaches cushion line c of this shot's table, or NO_EVENT_S. */
fn line_contact_time(bpx: f32, bpy: f32, bvx: f32, bvy: f32, bax: f32, bay: f32, c: u32, R: f32, T: f32, pressable: bool) -> f32 {
  let p1x = table_line(c, 0u);
  let p1y = table_line(c, 1u);
  let p2x = table_line(c, 2u);
  let p2y = table_line(c, 3u);
  let nx = table_line(c, 4u);
  let ny = table_line(c, 5u);
  let g0 = (((bpx - p1x) * nx) + ((bpy - p1y) * ny)) - R;
  let g1 = bvx * nx + bvy * ny;
  let g2 = 0.5 * (bax * nx + bay * ny);
  var t = NO_EVENT_S;
  var lo: f32 = 0.0;
  var hi: f32 = -1.0;
  if (g0 <= 0.0) {
    if (g0 <= -CONTACT_SLACK_M) { return NO_EVENT_S; }
    if (g1 < -EPS_APPROACH_M_S || (pressable && g1 <= EPS_APPROACH_M_S && g2 < 0.0)) {
      t = 0.0;
    } else if (g2 < 0.0) {
      let tc = max(-g1 / (2.0 * g2), 0.0);
      if (g0 + tc * (g1 + g2 * tc) > 0.0) {
        if (tc < T && g0 + T * (g1 + g2 * T) <= 0.0) {
          lo = tc;
          hi = T;
        }
      } else {
        let ta = (-EPS_APPROACH_M_S - g1) / (2.0 * g2);
        if (ta < T) { t = ta; }
      }
    }
    if (t == NO_EVENT_S && hi < 0.0) { return NO_EVENT_S; }
  } else {
    var tc = T;
    if (g2 != 0.0) {
      let c0 = -g1 / (2.0 * g2);
      if (c0 > 0.0 && c0 < T) { tc = c0; }
    }
    if (g0 + tc * (g1 + g2 * tc) <= 0.0) {
      hi = tc;
    } else if (tc < T && g0 + T * (g1 + g2 * T) <= 0.0) {
      lo = tc;
      hi = T;
    }
    if (hi < 0.0) { return NO_EVENT_S; }
  }
  if (hi >= 0.0) {
    for (var it = 0u; it < config.bisection_steps; it++) {
      let mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) { break; }
      if (g0 + mid * (g1 + g2 * mid) > 0.0) { lo = mid; } else { hi = mid; }
    }
    t = lo;
  }
  let hx = 0.5 * bax;
  let hy = 0.5 * bay;
  let cx = bpx + t * (bvx + hx * t);
  let cy = bpy + t * (bvy + hy * t);
  let sx = p2x - p1x;
  let sy = p2y - p1y;
  let along = (cx - p1x) * sx + (cy - p1y) * sy;
  if (along < 0.0 || along > sx * sx + sy * sy) { return NO_EVENT_S; }
  return t;
}

/** Distance from a point to cushion line c: the cheap bound used to skip far cushions. */
fn point_segment_distance(bpx: f32, bpy: f32, c: u32) -> f32 {
  let p1x = table_line(c, 0u);
  let p1y = table_line(c, 1u);
  let sx = table_line(c, 2u) - p1x;
  let sy = table_line(c, 3u) - p1y;
  let len2 = sx * sx + sy * sy;
  var s: f32 = 0.0;
  if (len2 > 0.0) { s = ((bpx - p1x) * sx + (bpy - p1y) * sy) / len2; }
  s = clamp(s, 0.0, 1.0);
  let dx = bpx - (p1x + s * sx);
  let dy = bpy - (p1y + s * sy);
  return sqrt(dx * dx + dy * dy);
}
