import { isUtf8 } from "node:buffer";
import { Protocol } from "@colyseus/core";
import { decode } from "@colyseus/schema";
import { unpack } from "msgpackr";

/** Deeper payloads are refused: no intent nests more than a few levels. */
export const MAX_PAYLOAD_DEPTH = 16;

function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** MessagePack string headers: fixstr, str8, str16, str32. */
function stringHeaderBytes(prefix: number): number {
  if (prefix === 0xd9) return 2;
  if (prefix === 0xda) return 3;
  if (prefix === 0xdb) return 5;
  return 1;
}

/**
 * Why a client frame cannot be decoded (truncated or malformed MessagePack, a message type that is not valid
 * UTF-8, nesting deeper than MAX_PAYLOAD_DEPTH), or undefined when Colyseus may decode it. Checked before Colyseus
 * sees the frame, because a frame that fails there is logged with its stack at error level.
 */
export function malformedFrame(frame: Buffer): string | undefined {
  if (frame.byteLength === 0) return "empty frame";
  const code = frame[0]! & 0x1f;
  if (code !== Protocol.ROOM_DATA && code !== Protocol.ROOM_REQUEST && code !== Protocol.ROOM_DATA_BYTES) {
    return undefined;
  }
  const it = { offset: 1 };
  try {
    if (code === Protocol.ROOM_REQUEST) decode.number(frame, it);
    if (it.offset >= frame.byteLength) return "no message type";
    if (decode.stringCheck(frame, it)) {
      const start = it.offset;
      decode.string(frame, it);
      if (it.offset > frame.byteLength) return "truncated message type";
      if (!isUtf8(frame.subarray(start + stringHeaderBytes(frame[start]!), it.offset))) {
        return "message type is not UTF-8";
      }
    } else {
      decode.number(frame, it);
    }
    if (it.offset > frame.byteLength) return "truncated message type";
    if (code === Protocol.ROOM_DATA_BYTES || it.offset === frame.byteLength) return undefined;
    const payload = unpack(frame.subarray(it.offset));
    if (deeperThan(payload, MAX_PAYLOAD_DEPTH)) return `payload nested deeper than ${MAX_PAYLOAD_DEPTH} levels`;
    return undefined;
  } catch (error) {
    return error instanceof RangeError ? "payload nested too deep" : "malformed MessagePack";
  }
}
