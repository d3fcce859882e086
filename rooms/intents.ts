import type { Client, Room } from "@colyseus/core";
import type { z } from "zod";
import { DATABASE_UNAVAILABLE_MESSAGE, databaseUnavailable } from "../src/http/public-errors.ts";
import { recordMessage } from "../src/metrics/message-metrics.ts";
import { services } from "../src/services.ts";

/**
 * A refusal the player should see: a stable code and a sentence. Nothing has changed when it is thrown, unless
 * `afterPatch` says the refusal comes with a change (an offer the wallet could no longer cover, taken back): then it
 * reaches the client after the patch that carries the change, like any message announcing one.
 */
export class IntentRejected extends Error {
  readonly code: string;
  readonly afterPatch: boolean;
  constructor(code: string, message: string, options: { afterPatch?: boolean } = {}) {
    super(message);
    this.name = "IntentRejected";
    this.code = code;
    this.afterPatch = options.afterPatch ?? false;
  }
}

/** An engine's answer: kept, or refused with a code and a sentence the player reads. */
export function accepted<R extends { ok: boolean; error?: { code: string; message: string } }>(
  result: R,
): Extract<R, { ok: true }> {
  if (!result.ok) throw new IntentRejected(result.error!.code, result.error!.message);
  return result as Extract<R, { ok: true }>;
}

export interface ErrorMessage {
  /** The message type the client sent, so it can match the error to its intent. */
  type: string;
  code: string;
  message: string;
}

export interface Intent<S extends z.ZodType> {
  schema: S;
  handle: (client: Client, payload: z.infer<S>) => void | Promise<void>;
}

export function intent<S extends z.ZodType>(schema: S, handle: Intent<S>["handle"]): Intent<S> {
  return { schema, handle };
}

// Everything a room does to its state happens one step at a time, so an await on the wallet can never let a
// second intent see a half-applied step. The bound keeps a flooding client from queueing without limit.
const MAX_QUEUED_STEPS = 256;

/** Runs a room's steps (intents and timers) strictly one after another. */
export class StepQueue {
  #tail: Promise<void> = Promise.resolve();
  #queued = 0;

  get length(): number {
    return this.#queued;
  }

  /** Resolves when the step has run; rejects with IntentRejected("BUSY") when the queue is full. */
  run(step: () => void | Promise<void>): Promise<void> {
    if (this.#queued >= MAX_QUEUED_STEPS) {
      return Promise.reject(new IntentRejected("BUSY", "the table is busy: try again in a moment"));
    }
    this.#queued += 1;
    const result = this.#tail.then(step).finally(() => {
      this.#queued -= 1;
    });
    this.#tail = result.catch(() => {});
    return result;
  }
}

/** Message names are short identifiers; anything else a client sends as a type is not repeated back to it. */
const ECHOABLE_TYPE = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
/** An error's text names fields and limits; this keeps a pathological input from making it long. */
const ERROR_MESSAGE_MAX_CHARS = 300;

/**
 * Tells one client its intent was refused. The reply carries the intent's name (when it is a plain identifier), a
 * code and a sentence, never the payload: a flood of large bad messages must not come back doubled.
 */
export function sendError(client: Client, type: string, code: string, message: string, afterPatch = false): void {
  const error: ErrorMessage = {
    type: ECHOABLE_TYPE.test(type) ? type : "?",
    code,
    message: message.slice(0, ERROR_MESSAGE_MAX_CHARS),
  };
  client.send("error", error, afterPatch ? { afterNextPatch: true } : undefined);
}

/**
 * Registers the room's intents by name. Payloads are validated here rather than by Colyseus, whose validation
 * failure disconnects the client: a bad message is answered with an `error` message and changes nothing.
 * Unknown message types are answered the same way.
 */
export function registerIntents(
  room: Room,
  queue: StepQueue,
  // biome-ignore lint/suspicious/noExplicitAny: each intent carries its own schema type
  intents: Record<string, Intent<any>>,
): void {
  for (const [type, { schema, handle }] of Object.entries(intents)) {
    room.onMessage(type, (client: Client, payload: unknown) => {
      const startedAtMs = performance.now();
      const parsed = schema.safeParse(payload ?? {});
      if (!parsed.success) {
        const detail = parsed.error.issues
          .map((issue: z.core.$ZodIssue) => `${issue.path.join(".") || "payload"}: ${issue.message}`)
          .join("; ");
        sendError(client, type, "BAD_MESSAGE", detail);
        recordMessage(room.roomName, type, "rejected", startedAtMs);
        return;
      }
      queue
        .run(() => handle(client, parsed.data))
        .then(
          () => recordMessage(room.roomName, type, "ok", startedAtMs),
          (error: unknown) => {
            if (error instanceof IntentRejected) {
              sendError(client, type, error.code, error.message, error.afterPatch);
              recordMessage(room.roomName, type, "rejected", startedAtMs);
              return;
            }
            services().logger.error({ err: error, roomId: room.roomId, type }, "intent failed");
            if (databaseUnavailable(error))
              sendError(client, type, "DATABASE_UNAVAILABLE", DATABASE_UNAVAILABLE_MESSAGE);
            else sendError(client, type, "INTERNAL", "the server could not process this request");
            recordMessage(room.roomName, type, "error", startedAtMs);
          },
        );
    });
  }
  const known = Object.keys(intents).join(", ");
  room.onMessage("*", (client: Client, type: string | number) => {
    recordMessage(room.roomName, "unknown", "rejected", performance.now());
    sendError(client, String(type), "UNKNOWN_MESSAGE", `this room has no such message; it takes ${known}`);
  });
}
