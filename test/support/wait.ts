import type { Room } from "@colyseus/sdk";

/** How often a condition is checked while waiting for it. */
const POLL_MS = 10;

/**
 * Resolves once `check` holds; rejects with `what` in the message if it does not within `timeoutMs`. For waiting on
 * state reached over the network (a patch, a disposed room, a settled round), never for letting time pass.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
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
