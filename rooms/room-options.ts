import { matchMaker, ServerError } from "@colyseus/core";
import type { z } from "zod";
import { services } from "../src/services.ts";
import { newChallengeCode } from "./challenge-code.ts";

/** Tries at a code no open room uses; 31^6 codes make a second try already rare. */
const CODE_TRIES = 8;
/** A refusal names the fields at fault; this keeps a pathological input from making it long. */
const DETAIL_MAX_CHARS = 300;

/** Options a room cannot use: a 400 the client reads as `BAD_OPTIONS: …`, never a stack trace in the log. */
export function refuseOptions(detail: string): never {
  throw new ServerError(400, `BAD_OPTIONS: ${detail.slice(0, DETAIL_MAX_CHARS)}`);
}

export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    refuseOptions(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "options"}: ${issue.message}`).join("; "),
    );
  }
  return parsed.data;
}

/**
 * The tier a room's settings put it in. Matchmaking filters on it, so a player who asks for the standard settings
 * (or for nothing) only ever lands in a standard room, and a room with custom timers or limits is found only by
 * those who asked for exactly the same ones (or by its code, where the room has one).
 */
export function tierOf(settings: Record<string, number | string>, defaults: Record<string, number | string>): string {
  const custom = Object.keys(settings)
    .filter((key) => settings[key] !== defaults[key])
    .sort();
  if (custom.length === 0) return "standard";
  return `custom:${custom.map((key) => `${key}=${settings[key]}`).join(",")}`;
}

const normalized = new WeakSet<object>();

/**
 * Replaces a client's matchmaking options, in place, by their validated and normalised form. It runs in the room's
 * static onAuth, the one hook Colyseus calls before the options become the filters of a lookup and the listing of a
 * new room: what the client typed (a stake as a string, an unknown key, a stray `tier`) never reaches either.
 * Colyseus may retry a lookup with the same object, so an object is normalised once.
 */
export async function normalizeClientOptions(
  roomName: string,
  options: unknown,
  normalize: (raw: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>,
): Promise<void> {
  if (options === null || typeof options !== "object") refuseOptions("options must be an object");
  if (normalized.has(options)) return;
  const target = options as Record<string, unknown>;
  let next: Record<string, unknown>;
  try {
    next = await normalize({ ...target });
  } catch (error) {
    if (error instanceof ServerError && error.code >= 400 && error.code < 500) {
      services().logger.info({ room: roomName, refusal: error.message }, "room options refused");
    }
    throw error;
  }
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, next);
  normalized.add(target);
}

/** A challenge code no open room of `roomName` uses. */
export async function unusedCode(roomName: string): Promise<string> {
  for (let i = 0; i < CODE_TRIES; i++) {
    const code = newChallengeCode();
    const taken = await matchMaker.query({ name: roomName, code } as never);
    if (taken.length === 0) return code;
  }
  throw new ServerError(503, "NO_CODE: could not find a free challenge code");
}
