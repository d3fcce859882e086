/**
 * How far a ticket's tolerance reaches after it has waited: a straight line from `start` rising by `perSecond`, held
 * at `max`. One line for the rating gap (OpenSkill mu units) and one for the round trip (ms).
 */
export interface WideningLine {
  start: number;
  perSecond: number;
  max: number;
}

export interface WideningCurve {
  ratingGap: WideningLine;
  rttMs: WideningLine;
}

export const DEFAULT_WIDENING: WideningCurve = {
  ratingGap: { start: 2, perSecond: 0.5, max: 25 },
  rttMs: { start: 80, perSecond: 20, max: 400 },
};

export function allowance(line: WideningLine, waitedMs: number): number {
  return Math.min(line.max, line.start + (line.perSecond * Math.max(0, waitedMs)) / 1000);
}

/** "start,perSecond,max", as the environment gives it. */
export function parseWideningLine(text: string): WideningLine {
  const parts = text.split(",").map((part) => Number(part.trim()));
  const [start, perSecond, max] = parts;
  if (
    parts.length !== 3 ||
    !parts.every((n) => Number.isFinite(n) && n >= 0) ||
    start === undefined ||
    perSecond === undefined ||
    max === undefined ||
    max < start
  ) {
    throw new RangeError("must be start,perSecond,max: three non-negative numbers with max >= start");
  }
  return { start, perSecond, max };
}
