import { randomBytes } from "node:crypto";

/**
 * Fresh entropy for the next commitment: 32 random bytes as 64 lowercase hex characters. The process makes every
 * server seed and hands it to the engines, which never draw randomness themselves.
 */
export function generateServerSeed(): string {
  return randomBytes(32).toString("hex");
}
