import { randomInt } from "node:crypto";

/** No 0/O, 1/I/L: a code read out loud or copied by hand survives. */
export const CHALLENGE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CHALLENGE_CODE_LENGTH = 6;
const CODE_PATTERN = new RegExp(`^[${CHALLENGE_CODE_ALPHABET}]{${CHALLENGE_CODE_LENGTH}}$`);

/** A fresh private-challenge code: 31^6 (about 8.9 * 10^8) possibilities, from a cryptographic source. */
export function newChallengeCode(): string {
  let code = "";
  for (let i = 0; i < CHALLENGE_CODE_LENGTH; i++)
    code += CHALLENGE_CODE_ALPHABET[randomInt(CHALLENGE_CODE_ALPHABET.length)];
  return code;
}

/** Codes are typed by people: accept lower case, compare upper case. */
export function normalizeChallengeCode(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const code = input.trim().toUpperCase();
  return CODE_PATTERN.test(code) ? code : null;
}
