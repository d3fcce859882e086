import type { Room } from "@colyseus/sdk";

let handedOff: Room | undefined;

/** A room joined elsewhere (a tournament seat reservation) passed to the view that plays it. */
export function handOff(room: Room): void {
  handedOff = room;
}

export function takeHandedOff(): Room | undefined {
  const room = handedOff;
  handedOff = undefined;
  return room;
}
