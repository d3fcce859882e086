/**
 * Seeded generators of hostile client input: random values of every shape msgpack carries, mutations of a valid
 * payload, message names a room does not know, and raw frames that are not the protocol at all.
 */

export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function integerBelow(random: Random, bound: number): number {
  return Math.floor(random() * bound);
}

const SPECIAL_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  2 ** 31,
  -(2 ** 31),
  2 ** 32,
  2 ** 53,
  2 ** 64,
  7,
  6,
  -7,
  1e21,
  1e-300,
];

const SPECIAL_STRINGS = [
  "",
  " ",
  "0",
  "-1",
  "1e309",
  "NaN",
  "Infinity",
  "99999999999999999999",
  "１２３",
  "100.5",
  "0x10",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "toString",
  "'; drop table accounts; --",
  "\u0000",
  "\ud800",
  "😀".repeat(40),
  "<script>alert(1)</script>",
  "../../etc/passwd",
];

/** Keys that have meant something to JavaScript objects at one time or another. */
const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toJSON", "valueOf", "then", "", "0", "length"];

/** A value of a random shape; `budget` bounds how much a single value may hold. */
export function randomValue(random: Random, depth = 0): unknown {
  const roll = random();
  if (depth > 3 || roll < 0.3) return randomScalar(random);
  if (roll < 0.45) return Array.from({ length: integerBelow(random, 5) }, () => randomValue(random, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = integerBelow(random, 5); i > 0; i -= 1) {
    const key = random() < 0.3 ? pick(random, HOSTILE_KEYS) : randomKey(random);
    object[key] = randomValue(random, depth + 1);
  }
  return object;
}

export function randomScalar(random: Random): unknown {
  const roll = random();
  if (roll < 0.3) return pick(random, SPECIAL_NUMBERS);
  if (roll < 0.5) return pick(random, SPECIAL_STRINGS);
  if (roll < 0.6) return random() < 0.5;
  if (roll < 0.67) return null;
  if (roll < 0.72) return undefined;
  if (roll < 0.8) return (random() - 0.5) * 10 ** integerBelow(random, 20);
  if (roll < 0.88) return randomKey(random);
  if (roll < 0.94) return new Uint8Array(integerBelow(random, 64)).map(() => integerBelow(random, 256));
  return BigInt(Math.floor((random() - 0.5) * 2 ** 52)) * 4096n;
}

function randomKey(random: Random): string {
  const length = 1 + integerBelow(random, 12);
  let key = "";
  for (let i = 0; i < length; i += 1) key += String.fromCharCode(32 + integerBelow(random, 95));
  return key;
}

/** A payload meant to cost the server: a long string, a wide array, a deep nest (all within the frame cap). */
export function heavyValue(random: Random, maxBytes: number): unknown {
  const roll = random();
  if (roll < 0.3) return "x".repeat(integerBelow(random, maxBytes - 200));
  if (roll < 0.55) return Array.from({ length: integerBelow(random, Math.floor(maxBytes / 10)) }, () => 1.5);
  if (roll < 0.8) {
    // Nesting far past what any schema expects; msgpack spends one byte per level.
    let nested: unknown = 1;
    for (let i = integerBelow(random, Math.min(2000, maxBytes - 100)); i > 0; i -= 1) nested = [nested];
    return nested;
  }
  const wide: Record<string, number> = {};
  for (let i = integerBelow(random, Math.floor(maxBytes / 16)); i > 0; i -= 1) wide[`k${i}`] = i;
  return wide;
}

/** A valid payload with one thing wrong: a field replaced, dropped, duplicated under an odd key, or retyped. */
export function mutatePayload(random: Random, valid: unknown): unknown {
  if (valid === null || typeof valid !== "object" || Array.isArray(valid)) return randomValue(random);
  const copy: Record<string, unknown> = { ...(valid as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const roll = random();
  if (keys.length > 0 && roll < 0.45) {
    copy[pick(random, keys)] = random() < 0.7 ? randomScalar(random) : randomValue(random);
  } else if (keys.length > 0 && roll < 0.6) {
    delete copy[pick(random, keys)];
  } else if (roll < 0.75) {
    copy[random() < 0.5 ? pick(random, HOSTILE_KEYS) : randomKey(random)] = randomValue(random);
  } else if (roll < 0.85) {
    return pick(random, [null, [], "", 0, true, [copy], Number.NaN]);
  } else if (keys.length > 0) {
    const key = pick(random, keys);
    const value = copy[key];
    // The same value in a neighbouring type: a number as a string, a string as a number, a boolean as 0/1.
    copy[key] =
      typeof value === "number"
        ? String(value)
        : typeof value === "string"
          ? Number(value)
          : typeof value === "boolean"
            ? Number(value)
            : [value];
  }
  return copy;
}

/** A message name the room has not registered: a typo, another room's intent, a number, a long one. */
export function unknownMessageName(random: Random, otherRoomNames: readonly string[]): string | number {
  const roll = random();
  if (roll < 0.3) return pick(random, otherRoomNames);
  if (roll < 0.45) return integerBelow(random, 300) - 20;
  if (roll < 0.6) return pick(random, ["", " ", "*", "__proto__", "constructor", "error", "__playground_message"]);
  if (roll < 0.75) return "x".repeat(1 + integerBelow(random, 2000));
  return randomKey(random);
}

/**
 * A frame that is not a well-formed room message: random bytes, a real protocol code followed by junk, a message
 * code with a truncated or oversized msgpack body.
 */
export function garbageFrame(random: Random): Uint8Array {
  const length = integerBelow(random, 512);
  const bytes = new Uint8Array(1 + length).map(() => integerBelow(random, 256));
  const roll = random();
  // Colyseus protocol codes: JOIN_ROOM 10, ERROR 11, LEAVE_ROOM 12, ROOM_DATA 13, ROOM_STATE 14, ROOM_STATE_PATCH 15,
  // ROOM_DATA_SCHEMA 16, ROOM_DATA_BYTES 17, PING 18.
  if (roll < 0.6) bytes[0] = 10 + integerBelow(random, 9);
  if (roll < 0.3 && bytes.length > 2) {
    // ROOM_DATA with a msgpack string type header that promises more bytes than follow.
    bytes[0] = 13;
    bytes[1] = pick(random, [0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xc1, 0xc7, 0xd4]);
  }
  return bytes;
}
