import type { Room } from "@colyseus/sdk";

/** How often a condition is checked while waiting for it, unless the caller polls something slower (HTTP). */
const POLL_MS = 10;

/**
 * Resolves once `probe` gives a value (anything but undefined, null or false: `true` for a condition), with that
 * value; rejects with `what` in the message if none comes within `timeoutMs`. For waiting on state reached over the
 * network (a patch, a disposed room, a settled round), never for letting time pass. `pollMs` may be a function, so
 * that many players polling one route spread out.
 */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
  pollMs: number | (() => number) = POLL_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, typeof pollMs === "number" ? pollMs : pollMs()));
  }
}

/** Resolves with the next message of `type` the room receives, or rejects after `timeoutMs`. */
export function nextMessage<T>(
  room: { onMessage(type: string, handler: (message: T) => void): () => void },
  type: string,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a '${type}' message`));
    }, timeoutMs);
    const off = room.onMessage(type, (message: T) => {
      clearTimeout(timer);
      off();
      resolve(message);
    });
  });
}

/**
 * Resolves with the room's state once `accept` holds for it, checked at once and on every patch; rejects naming
 * `what` after `timeoutMs`. The state is checked only once the SDK has decoded one (`room.state` is set).
 */
export function stateWhere<S>(
  room: Room<unknown, S>,
  accept: (state: S) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<S> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!room.state || !accept(room.state)) return;
      clearTimeout(timer);
      room.onStateChange.remove(check);
      resolve(room.state);
    };
    const timer = setTimeout(() => {
      room.onStateChange.remove(check);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    room.onStateChange(check);
    check();
  });
}
