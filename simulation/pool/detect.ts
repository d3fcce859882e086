// DETECT: when is the next event. Between events every ball follows r(t) = r0 + v0·t + ½·a·t², so each contact is
// the first root of a polynomial in t on [0, T], where T is the earliest event found so far:
//   ball–cushion line: n·(r(t) − p) − R            (quadratic)
//   ball–ball, ball–jaw circle, ball–pocket: |d(t)|² − D², d(t) = d0 + d1·t + ½·d2·t²   (quartic)
// Roots are isolated, not solved in closed form: the critical points split [0, T] into monotone pieces, and the
// first piece where the function falls from positive to non-positive is bisected. That is robust in float32 (no
// cancellation in a closed-form quartic), needs no recursion and runs a bounded number of iterations: what a WGSL
// shader can do the same way.

import { f, NO_EVENT_S } from "./precision.ts";

/** Bisection steps; float32 stops making progress long before this (the loop exits when the midpoint repeats). */
export const MAX_BISECTION_STEPS = 64;
/** How far a ball may already overlap a cushion line (m) and still count as touching it: float32 rounding slack. */
export const CONTACT_SLACK_M = 1e-4;
/**
 * Relative normal speed (m/s) below which two touching bodies rest against each other rather than collide: well
 * above float32 rounding of a projected velocity at the 13.5 m/s cap. A ball pushed along by another is a run of
 * contacts at this speed, so it sets what a push costs; a pair pressed together more slowly comes to rest at most
 * micrometres inside each other, and restTable sets it touching.
 */
export const EPS_APPROACH_M_S = 1e-4;

// Scratch for critical points: no allocation in the kernel.
const critical = new Float64Array(8); // [0,1]: critical points of h; [4,6]: roots of h

// h(t) = d(t)·d'(t): half the derivative of |d(t)|².
function halfSlope(t: number, d0x: number, d0y: number, d1x: number, d1y: number, hx: number, hy: number): number {
  const dx = f(d0x + f(t * f(d1x + f(hx * t))));
  const dy = f(d0y + f(t * f(d1y + f(hy * t))));
  const sx = f(d1x + f(f(2 * hx) * t));
  const sy = f(d1y + f(f(2 * hy) * t));
  return f(f(dx * sx) + f(dy * sy));
}

function gap(
  t: number,
  d0x: number,
  d0y: number,
  d1x: number,
  d1y: number,
  hx: number,
  hy: number,
  D2: number,
): number {
  const dx = f(d0x + f(t * f(d1x + f(hx * t))));
  const dy = f(d0y + f(t * f(d1y + f(hy * t))));
  return f(f(f(dx * dx) + f(dy * dy)) - D2);
}

// Roots in (0, T) of A·t² + B·t + C, sorted, appended to critical[] from index n; returns the new count.
function quadraticRoots(A: number, B: number, C: number, T: number, n: number): number {
  let r1 = NO_EVENT_S;
  let r2 = NO_EVENT_S;
  if (A === 0) {
    if (B !== 0) r1 = f(-C / B);
  } else {
    const disc = f(f(B * B) - f(f(4 * A) * C));
    if (disc < 0) return n;
    const sq = f(Math.sqrt(disc));
    const q = f(-0.5 * (B >= 0 ? f(B + sq) : f(B - sq)));
    r1 = f(q / A);
    r2 = q !== 0 ? f(C / q) : r1;
    if (r2 < r1) {
      const tmp = r1;
      r1 = r2;
      r2 = tmp;
    }
  }
  if (r1 > 0 && r1 < T) critical[n++] = r1;
  if (r2 > 0 && r2 < T && r2 !== r1) critical[n++] = r2;
  return n;
}

/**
 * First time in [0, T] at which two points moving on parabolas make contact (distance D): d0, d1, d2 are the
 * relative position, velocity and acceleration. Returns NO_EVENT_S if there is none.
 *
 * A contact is an approach faster than EPS_APPROACH_M_S while touching, wherever the pair starts. Apart, the pair
 * touches where the gap |d|² − D² falls to zero; touching (the gap at most zero, as rounding leaves every pair after
 * an impact), it makes contact as soon as it approaches that fast, whether or not its gap ever rounded to positive.
 * A pair that comes to touch more slowly rests against each other; when `pressable` (a sliding ball, whose cloth
 * friction can push it) and pressed together by their accelerations, that is a contact too (a push).
 */
export function firstApproachTime(
  d0x: number,
  d0y: number,
  d1x: number,
  d1y: number,
  d2x: number,
  d2y: number,
  D: number,
  T: number,
  pressable: boolean,
): number {
  const hx = f(0.5 * d2x);
  const hy = f(0.5 * d2y);
  const D2 = f(D * D);
  // h' = A·t² + B·t + C.
  const A = f(1.5 * f(f(d2x * d2x) + f(d2y * d2y)));
  const B = f(3 * f(f(d1x * d2x) + f(d1y * d2y)));
  const C = f(f(f(d1x * d1x) + f(d1y * d1y)) + f(f(d0x * d2x) + f(d0y * d2y)));
  // h = |d|·(rate the distance grows); at contact |d| = D.
  const restH = f(D * EPS_APPROACH_M_S);
  let touching = gap(0, d0x, d0y, d1x, d1y, hx, hy, D2) <= 0;
  if (touching) {
    const h0 = halfSlope(0, d0x, d0y, d1x, d1y, hx, hy);
    if (h0 < -restH || (pressable && h0 <= restH && C < 0)) return 0;
  }
  // Critical points of h (roots of h') at critical[0..nh), then the roots of h, found on the pieces where h is
  // monotone, at critical[4..4+nRoots). Both lists are sorted.
  const nh = quadraticRoots(A, B, C, T, 0);
  let nRoots = 0;
  let a = 0;
  let ha = halfSlope(0, d0x, d0y, d1x, d1y, hx, hy);
  for (let i = 0; i <= nh; i++) {
    const bnd = i < nh ? critical[i] : T;
    const hb = halfSlope(bnd, d0x, d0y, d1x, d1y, hx, hy);
    if ((ha < 0 && hb > 0) || (ha > 0 && hb < 0)) {
      let lo = a;
      let hi = bnd;
      const loNeg = ha < 0;
      for (let it = 0; it < MAX_BISECTION_STEPS; it++) {
        const mid = f(0.5 * f(lo + hi));
        if (mid <= lo || mid >= hi) break;
        const hm = halfSlope(mid, d0x, d0y, d1x, d1y, hx, hy);
        if (hm < 0 === loNeg) lo = mid;
        else hi = mid;
      }
      critical[4 + nRoots] = f(0.5 * f(lo + hi));
      nRoots++;
    }
    a = bnd;
    ha = hb;
  }
  // Between consecutive points of both lists (merged) the gap and h are both monotone.
  let ic = 0;
  let ir = 0;
  a = 0;
  for (let piece = 0; piece <= nh + nRoots; piece++) {
    let c = T;
    if (ic < nh && (ir >= nRoots || critical[ic] <= critical[4 + ir])) c = critical[ic++];
    else if (ir < nRoots) c = critical[4 + ir++];
    const gc = gap(c, d0x, d0y, d1x, d1y, hx, hy, D2);
    const hc = halfSlope(c, d0x, d0y, d1x, d1y, hx, hy);
    if (!touching && gc <= 0) {
      // They come to touch in this piece: at the last time still apart, or (slower) they rest against each other.
      let lo = a;
      let hi = c;
      for (let it = 0; it < MAX_BISECTION_STEPS; it++) {
        const mid = f(0.5 * f(lo + hi));
        if (mid <= lo || mid >= hi) break;
        if (gap(mid, d0x, d0y, d1x, d1y, hx, hy, D2) > 0) lo = mid;
        else hi = mid;
      }
      const hTouch = halfSlope(hi, d0x, d0y, d1x, d1y, hx, hy);
      const pressing = f(f(f(f(A * hi) + B) * hi) + C) < 0;
      if (hTouch < -restH || (pressable && pressing)) return lo; // the balls never interpenetrate
      touching = true;
      a = hi;
    }
    if (touching) {
      if (gc > 0)
        touching = false; // they part in this piece (h > 0 all along it)
      else if (hc < -restH) {
        // Still touching, approaching ever faster: contact where the approach passes the rest threshold.
        let lo = a;
        let hi = c;
        for (let it = 0; it < MAX_BISECTION_STEPS; it++) {
          const mid = f(0.5 * f(lo + hi));
          if (mid <= lo || mid >= hi) break;
          if (halfSlope(mid, d0x, d0y, d1x, d1y, hx, hy) >= -restH) lo = mid;
          else hi = mid;
        }
        return hi;
      }
    }
    a = c;
  }
  return NO_EVENT_S;
}

/**
 * First time in [0, T] at which a ball of radius R reaches the cushion segment p1→p2 from the side its unit normal
 * n points to, touching it between the segment's ends. NO_EVENT_S if none. A ball touching the nose line now (or
 * behind it by rounding) is handled as in firstApproachTime: contact now if it moves in faster than
 * EPS_APPROACH_M_S or, `pressable`, is pressed in while not moving away; else when it next moves in that fast.
 */
export function lineContactTime(
  px: number,
  py: number,
  vx: number,
  vy: number,
  ax: number,
  ay: number,
  p1x: number,
  p1y: number,
  p2x: number,
  p2y: number,
  nx: number,
  ny: number,
  R: number,
  T: number,
  pressable: boolean,
): number {
  // g(t) = g0 + g1·t + g2·t² with g = distance from the line minus R.
  const g0 = f(f(f(f(px - p1x) * nx) + f(f(py - p1y) * ny)) - R);
  const g1 = f(f(vx * nx) + f(vy * ny));
  const g2 = f(0.5 * f(f(ax * nx) + f(ay * ny)));
  let t = NO_EVENT_S;
  let lo = 0;
  let hi = -1;
  if (g0 <= 0) {
    if (g0 <= -CONTACT_SLACK_M) return NO_EVENT_S;
    if (g1 < -EPS_APPROACH_M_S || (pressable && g1 <= EPS_APPROACH_M_S && g2 < 0)) t = 0;
    else if (g2 < 0) {
      // Moving away or at rest, pulled back: it either leaves the nose and returns, or turns back while touching.
      const tc = Math.max(f(-g1 / f(2 * g2)), 0);
      if (f(g0 + f(tc * f(g1 + f(g2 * tc)))) > 0) {
        if (tc < T && f(g0 + f(T * f(g1 + f(g2 * T)))) <= 0) {
          lo = tc;
          hi = T;
        }
      } else {
        const ta = f(f(-EPS_APPROACH_M_S - g1) / f(2 * g2));
        if (ta < T) t = ta;
      }
    }
    if (t === NO_EVENT_S && hi < 0) return NO_EVENT_S;
  } else {
    // Critical point of g splits [0,T] into at most two monotone pieces.
    let tc = T;
    if (g2 !== 0) {
      const c = f(-g1 / f(2 * g2));
      if (c > 0 && c < T) tc = c;
    }
    if (f(g0 + f(tc * f(g1 + f(g2 * tc)))) <= 0) hi = tc;
    else if (tc < T && f(g0 + f(T * f(g1 + f(g2 * T)))) <= 0) {
      lo = tc;
      hi = T;
    }
    if (hi < 0) return NO_EVENT_S;
  }
  if (hi >= 0) {
    for (let it = 0; it < MAX_BISECTION_STEPS; it++) {
      const mid = f(0.5 * f(lo + hi));
      if (mid <= lo || mid >= hi) break;
      if (f(g0 + f(mid * f(g1 + f(g2 * mid)))) > 0) lo = mid;
      else hi = mid;
    }
    t = lo;
  }
  // Where along the segment is the contact point (the ball's centre projected on the line)?
  const hx = f(0.5 * ax);
  const hy = f(0.5 * ay);
  const cx = f(px + f(t * f(vx + f(hx * t))));
  const cy = f(py + f(t * f(vy + f(hy * t))));
  const sx = f(p2x - p1x);
  const sy = f(p2y - p1y);
  const along = f(f(f(cx - p1x) * sx) + f(f(cy - p1y) * sy));
  if (along < 0 || along > f(f(sx * sx) + f(sy * sy))) return NO_EVENT_S;
  return t;
}

/** Distance from point (px, py) to segment p1→p2: the cheap bound used to skip far cushions. */
export function pointSegmentDistance(
  px: number,
  py: number,
  p1x: number,
  p1y: number,
  p2x: number,
  p2y: number,
): number {
  const sx = f(p2x - p1x);
  const sy = f(p2y - p1y);
  const len2 = f(f(sx * sx) + f(sy * sy));
  let s = len2 > 0 ? f(f(f(f(px - p1x) * sx) + f(f(py - p1y) * sy)) / len2) : 0;
  if (s < 0) s = 0;
  else if (s > 1) s = 1;
  const dx = f(px - f(p1x + f(s * sx)));
  const dy = f(py - f(p1y + f(s * sy)));
  return f(Math.sqrt(f(f(dx * dx) + f(dy * dy))));
}
