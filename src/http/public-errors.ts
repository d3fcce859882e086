import { matchMaker, ServerError } from "@colyseus/core";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logging.ts";

/**
 * What a client may learn of a failure: a refusal a room or Colyseus raised on purpose keeps its code and message;
 * anything else (a failed query, a bug) becomes a generic INTERNAL answer, and the real error goes to the log.
 */

// Colyseus wraps whatever a room's onCreate threw in one of these, with the original message.
const WRAPPED_CODES = new Set([523, 526]);
// Colyseus' own matchmaking refusals are client mistakes, sent as 4xx (the SDK reports the HTTP status as the code).
const COLYSEUS_REFUSALS: Record<number, [number, string]> = {
  520: [404, "NO_SUCH_ROOM_TYPE"],
  521: [404, "NO_ROOM_FOUND"],
  522: [404, "ROOM_NOT_FOUND"],
  524: [410, "SEAT_EXPIRED"],
  525: [401, "AUTH_FAILED"],
};
// A room's refusal of bad options reads "field: reason" or "CODE: reason"; driver and runtime errors do not.
const OPTION_REFUSAL = /^[A-Za-z_][\w.]{0,63}: [^\n]{1,300}$/;
const CODE_PREFIX = /^([A-Z][A-Z0-9_]{1,63}): /;

export const INTERNAL_MESSAGE = "INTERNAL: the server could not complete this request";
export const DATABASE_UNAVAILABLE_MESSAGE = "the database is unreachable right now: try again shortly";

/** A refused, reset or timed-out connection, as Node reports it. */
const CONNECTION_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);
/** Postgres refusing connections: class 08 (connection exception), shutting down or starting up, too many clients. */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** How node-postgres' pool and client say they lost or could not get a connection. */
const POOL_CONNECTION_FAILURE =
  /timeout exceeded when trying to connect|Connection terminated|connection error and is not queryable|Client was closed and is not queryable/;
const CAUSE_DEPTH_MAX = 8;
/** What a 503 for an unreachable database suggests: about the pool's connection timeout. */
const DATABASE_RETRY_AFTER_S = 5;

/**
 * Whether `error` (or what it wraps: drizzle puts the driver's error in `cause`) says the database could not be
 * reached, rather than that a query was wrong. HTTP routes reach Redis only through the matchmaker, whose routes
 * answer QUEUE_UNAVAILABLE themselves, so a connection failure that gets here is the database's.
 */
export function databaseUnavailable(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < CAUSE_DEPTH_MAX && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (POOL_CONNECTION_FAILURE.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}

function isHttpStatus(code: unknown): code is number {
  return typeof code === "number" && Number.isInteger(code) && code >= 400 && code <= 599;
}

/** The error to send a client in place of `error`, or undefined when `error` may be sent as it is. */
export function publicError(error: unknown): ServerError | undefined {
  if (error instanceof ServerError && isHttpStatus(error.code)) {
    const refusal = COLYSEUS_REFUSALS[error.code];
    if (refusal) {
      const message = CODE_PREFIX.test(error.message) ? error.message : `${refusal[1]}: ${error.message}`;
      return new ServerError(refusal[0], message);
    }
    if (!WRAPPED_CODES.has(error.code)) return undefined;
    if (OPTION_REFUSAL.test(error.message)) {
      const message = CODE_PREFIX.test(error.message) ? error.message : `BAD_OPTIONS: ${error.message}`;
      return new ServerError(400, message);
    }
  }
  if (databaseUnavailable(error)) return new ServerError(503, `DATABASE_UNAVAILABLE: ${DATABASE_UNAVAILABLE_MESSAGE}`);
  return new ServerError(500, INTERNAL_MESSAGE);
}

let matchmakeLogger: Logger | undefined;

/** Matchmaking answers (`POST /matchmake/...`) carry only public errors. Wraps Colyseus once per process. */
export function installMatchmakeErrors(logger: Logger) {
  const wrapped = matchmakeLogger !== undefined;
  matchmakeLogger = logger;
  if (wrapped) return;
  const controller = matchMaker.controller as unknown as { invokeMethod: (...args: unknown[]) => Promise<unknown> };
  const invoke = controller.invokeMethod;
  controller.invokeMethod = async function (this: unknown, ...args: unknown[]) {
    try {
      return await invoke.apply(this, args);
    } catch (error) {
      const replacement = publicError(error);
      if (!replacement) throw error;
      if (replacement.code >= 500) {
        matchmakeLogger?.error({ err: error, method: args[0], room: args[1] }, "matchmaking failed");
      }
      throw replacement;
    }
  };
}

interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

const BODY_ERROR_CODES: Record<string, [number, string, string]> = {
  "entity.parse.failed": [400, "BAD_JSON", "the body is not valid JSON"],
  "entity.too.large": [413, "BODY_TOO_LARGE", "the body is too large"],
  "encoding.unsupported": [415, "UNSUPPORTED_ENCODING", "the body's encoding is not supported"],
  "charset.unsupported": [415, "UNSUPPORTED_CHARSET", "the body's charset is not supported"],
  "request.aborted": [400, "REQUEST_ABORTED", "the request was aborted"],
  "request.size.invalid": [400, "BAD_REQUEST", "the body is not as long as its Content-Length says"],
};

/**
 * Express's last error handler: client mistakes are 4xx with a code, a database that cannot be reached is 503
 * DATABASE_UNAVAILABLE (with Retry-After: the client may try again), everything else a bare 500.
 */
export function httpErrorHandler(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const parserError = error as BodyParserError;
    const known = parserError?.type ? BODY_ERROR_CODES[parserError.type] : undefined;
    if (res.headersSent) return;
    if (known) {
      res.status(known[0]).json({ error: known[1], message: known[2] });
      return;
    }
    const status = parserError?.status ?? parserError?.statusCode;
    if (parserError?.expose === true && isHttpStatus(status) && status < 500) {
      res.status(status).json({ error: "BAD_REQUEST", message: "the request could not be read" });
      return;
    }
    if (databaseUnavailable(error)) {
      logger.warn({ err: error }, "http request failed: the database is unreachable");
      res.status(503).set("retry-after", String(DATABASE_RETRY_AFTER_S));
      res.json({ error: "DATABASE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE });
      return;
    }
    logger.error({ err: error }, "http request failed");
    res.status(500).json({ error: "INTERNAL", message: "internal error" });
  };
}
