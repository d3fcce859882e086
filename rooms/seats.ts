import type { MapSchema } from "@colyseus/schema";

/** Who holds a seat: every game room keeps one of these per seat, or null when the seat is free. */
export interface SeatHolder {
  playerId: string;
  displayName: string;
  sessionId: string;
}

interface SeatViewBase {
  playerId: string;
  displayName: string;
}

export function seatOfSession(seated: readonly (SeatHolder | null)[], sessionId: string): number {
  return seated.findIndex((holder) => holder?.sessionId === sessionId);
}

/**
 * Mirrors the seats onto the synced map keyed "0", "1", …: free seats drop out, taken ones get the holder's
 * identity and whatever the room adds in `fill`. Existing views are updated in place so only changes are patched.
 */
export function syncSeatViews<H extends SeatHolder, V extends SeatViewBase>(
  seated: readonly (H | null)[],
  views: MapSchema<V>,
  create: (seat: number) => V,
  fill: (view: V, holder: H, seat: number) => void = () => {},
): void {
  for (const [seat, holder] of seated.entries()) {
    const key = String(seat);
    if (!holder) {
      views.delete(key);
      continue;
    }
    const view = views.get(key) ?? create(seat);
    view.playerId = holder.playerId;
    view.displayName = holder.displayName;
    fill(view, holder, seat);
    if (!views.has(key)) views.set(key, view);
  }
}
