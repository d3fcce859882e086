/** A server value as JSON on the wire: bigints (minor units) become decimal strings. */
export function toWire<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));
}
