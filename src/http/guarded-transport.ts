import type { IncomingMessage } from "node:http";
import {
  type BeforeUpgradeHandler,
  ClientState,
  CloseCode,
  connectClientToRoom,
  createAuthContext,
  matchMaker,
  Protocol,
  ServerError,
} from "@colyseus/core";
import { WebSocketClient, WebSocketTransport } from "@colyseus/ws-transport";
import type WebSocket from "ws";
import type { Logger } from "../logging.ts";
import { recordConnectionCut } from "../metrics/connection-metrics.ts";
import { clientAddress } from "./client-address.ts";
import { malformedFrame } from "./message-check.ts";
import { DATABASE_UNAVAILABLE_MESSAGE, databaseUnavailable, INTERNAL_MESSAGE } from "./public-errors.ts";
import { TokenBucket } from "./rate-limiter.ts";

/** Close code for a connection cut off for sending too much; the reason says which budget it broke. */
export const CLOSE_RATE_LIMITED = 4029;
/**
 * A connection whose unsent bytes passed the send-buffer cap is closed as a dropped one (4010: the SDK reconnects
 * and gets the whole state again), with a `SLOW_CLIENT: …` reason; its seat is held like any drop's.
 */
export const CLOSE_SLOW_CLIENT = CloseCode.MAY_TRY_RECONNECT;

export interface MessageBudgets {
  messagesPerSecond: number;
  messagesPerSecondPerIp: number;
  bytesPerSecond: number;
}

export interface GuardedTransportOptions {
  maxPayloadBytes: number;
  /** Bytes a connection may have queued in the process (beyond the kernel's socket buffer) before it is cut off. */
  sendBufferMaxBytes: number;
  /** A ping every `intervalMs`; a connection that misses `maxMissed` pongs in a row is terminated (a drop). */
  ping: { intervalMs: number; maxMissed: number };
  /** Colyseus' hook to answer an upgrade request instead of completing it. */
  beforeUpgrade?: BeforeUpgradeHandler;
  budgets: MessageBudgets;
  trustProxyHops: number;
  logger: Logger;
  /** Told of every address cut off for going over a budget. */
  onFlood?: (address: string) => void;
}

/** The close frame with its reason goes out first; a client that ignores it is dropped after this. */
const CLOSE_GRACE_MS = 1_000;

type RawClient = WebSocket & { pingCount: number };

interface AddressBudget {
  messages: TokenBucket;
  connections: number;
}

/**
 * Colyseus' WebSocket transport with limits that hold across every room: each connection and each client address
 * has a message budget (a connection that breaks one is closed with 4029 and a `RATE_LIMITED: …` reason), a frame
 * that cannot be decoded closes its connection with one warning and no stack, a connection that stops reading is
 * cut off once its unsent bytes pass a cap (4010, `SLOW_CLIENT: …`), one that stops answering pings is dropped, one
 * that never confirms its join is cut off (4002, `JOIN_NOT_CONFIRMED: …`), and a join that fails on an internal
 * error tells the client only INTERNAL.
 */
export class GuardedTransport extends WebSocketTransport {
  readonly #options: GuardedTransportOptions;
  readonly #addresses = new Map<string, AddressBudget>();
  readonly #cutOff = new WeakSet<WebSocket>();

  constructor(options: GuardedTransportOptions) {
    super({
      maxPayload: options.maxPayloadBytes,
      beforeUpgrade: options.beforeUpgrade,
      pingInterval: options.ping.intervalMs,
      pingMaxRetries: options.ping.maxMissed,
    });
    this.#options = options;
    // The base class registers its own handler, unbound; this one replaces it.
    this.wss.removeAllListeners("connection");
    this.wss.on("connection", (raw: RawClient, req: IncomingMessage) => {
      this.#accept(raw, req).catch((error) => {
        options.logger.error({ err: error }, "websocket connection failed");
        raw.terminate();
      });
    });
  }

  #addressBudget(address: string): AddressBudget {
    let budget = this.#addresses.get(address);
    if (!budget) {
      budget = { messages: new TokenBucket(this.#options.budgets.messagesPerSecondPerIp), connections: 0 };
      this.#addresses.set(address, budget);
    }
    budget.connections += 1;
    return budget;
  }

  #releaseAddress(address: string, budget: AddressBudget) {
    budget.connections -= 1;
    if (budget.connections <= 0) this.#addresses.delete(address);
  }

  /** Closes a connection once, with its reason; nothing more is read from it or queued for it. */
  #cut(raw: RawClient, address: string, code: number, reason: string) {
    if (this.#cutOff.has(raw)) return;
    this.#cutOff.add(raw);
    this.#options.logger.warn({ address, reason }, "websocket client cut off");
    recordConnectionCut(reason.slice(0, reason.indexOf(":")));
    if (code === CLOSE_RATE_LIMITED) this.#options.onFlood?.(address);
    raw.close(code, reason);
    setTimeout(() => raw.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Message budgets and frame checks run before any room sees a frame. */
  #guardFrames(raw: RawClient, address: string) {
    const { budgets } = this.#options;
    const connection = {
      messages: new TokenBucket(budgets.messagesPerSecond),
      bytes: new TokenBucket(budgets.bytesPerSecond),
    };
    const addressBudget = this.#addressBudget(address);
    const cut = (code: number, reason: string) => this.#cut(raw, address, code, reason);
    raw.once("close", () => this.#releaseAddress(address, addressBudget));
    // Every listener, Colyseus' rooms included, hears 'message' through this emit.
    const emit = raw.emit.bind(raw) as (event: string | symbol, ...args: unknown[]) => boolean;
    raw.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event !== "message") return emit(event, ...args);
      if (this.#cutOff.has(raw)) return false;
      const frame = args[0] as Buffer;
      if (!connection.messages.take()) {
        cut(CLOSE_RATE_LIMITED, `RATE_LIMITED: over ${budgets.messagesPerSecond} messages/s on this connection`);
        return false;
      }
      if (!connection.bytes.take(frame.byteLength)) {
        cut(CLOSE_RATE_LIMITED, `RATE_LIMITED: over ${budgets.bytesPerSecond} bytes/s on this connection`);
        return false;
      }
      if (!addressBudget.messages.take()) {
        cut(CLOSE_RATE_LIMITED, `RATE_LIMITED: over ${budgets.messagesPerSecondPerIp} messages/s from this address`);
        return false;
      }
      const malformed = malformedFrame(frame);
      if (malformed) {
        cut(CloseCode.WITH_ERROR, `BAD_MESSAGE: ${malformed}`);
        return false;
      }
      return emit(event, ...args);
    }) as typeof raw.emit;
  }

  /**
   * ws queues in the process whatever the kernel's socket buffer cannot take, without limit: a client that stops
   * reading would grow it with every patch its room sends. Past the cap the connection is cut off, which releases it.
   */
  #guardSends(raw: RawClient, address: string) {
    const limit = this.#options.sendBufferMaxBytes;
    const send = raw.send.bind(raw) as (...args: unknown[]) => void;
    raw.send = ((...args: unknown[]) => {
      if (this.#cutOff.has(raw)) {
        const callback = args.find((arg) => typeof arg === "function") as ((error?: Error) => void) | undefined;
        if (callback) process.nextTick(callback, new Error("the connection was cut off"));
        return;
      }
      send(...args);
      if (raw.bufferedAmount > limit) {
        this.#cut(raw, address, CLOSE_SLOW_CLIENT, `SLOW_CLIENT: over ${limit} bytes waiting to be sent`);
      }
    }) as typeof raw.send;
  }

  /**
   * Until a client confirms its join (the SDK does at once), Colyseus keeps every message its room sends it in a
   * list with no limit. A client that never confirms is cut off when a silent one would be dropped.
   */
  #awaitConfirmation(raw: RawClient, address: string, client: WebSocketClient) {
    const { intervalMs, maxMissed } = this.#options.ping;
    const withinMs = intervalMs * (maxMissed + 1);
    const timer = setTimeout(() => {
      if (client.state !== ClientState.JOINING) return;
      this.#cut(
        raw,
        address,
        CloseCode.WITH_ERROR,
        `JOIN_NOT_CONFIRMED: the join was not confirmed within ${withinMs} ms`,
      );
    }, withinMs);
    timer.unref();
    raw.once("close", () => clearTimeout(timer));
  }

  async #accept(raw: RawClient, req: IncomingMessage) {
    const { logger, trustProxyHops } = this.#options;
    const address = clientAddress(req, trustProxyHops);
    let warned = false;
    // ws reports protocol violations (bad UTF-8, oversized frames) here, then closes the socket itself.
    raw.on("error", (error: Error & { code?: string }) => {
      if (warned) return;
      warned = true;
      logger.warn({ address, code: error.code, reason: error.message }, "websocket protocol error");
    });
    raw.on("pong", () => {
      raw.pingCount = 0;
    });
    raw.pingCount = 0;
    this.#guardFrames(raw, address);
    this.#guardSends(raw, address);

    const url = new URL(`ws://server${req.url ?? "/"}`);
    const sessionId = url.searchParams.get("sessionId");
    const roomId = /\/[a-zA-Z0-9_-]+\/([a-zA-Z0-9_-]+)$/.exec(url.pathname)?.[1];

    if (!sessionId && !roomId) {
      // Colyseus' latency probe: answer pings for a second.
      const timeout = setTimeout(() => raw.close(CloseCode.NORMAL_CLOSURE), 1000);
      raw.on("message", () => raw.send(new Uint8Array([Protocol.PING])));
      raw.on("close", () => clearTimeout(timeout));
      return;
    }

    const room = matchMaker.getLocalRoomById(roomId ?? "");
    const client = new WebSocketClient(sessionId ?? "", raw);
    const reconnectionToken = url.searchParams.get("reconnectionToken");
    const authContext = createAuthContext({
      headers: req.headers as Record<string, string>,
      token: url.searchParams.get("_authToken"),
      remoteAddress: address,
    });
    try {
      await connectClientToRoom(room, client, authContext, {
        reconnectionToken: reconnectionToken ?? undefined,
        skipHandshake: url.searchParams.has("skipHandshake"),
      });
      this.#awaitConfirmation(raw, address, client);
    } catch (error) {
      const refusal = error instanceof ServerError && typeof error.code === "number" ? error : undefined;
      if (refusal) {
        logger.debug({ address, code: refusal.code, reason: refusal.message }, "join refused");
      } else {
        logger.error({ err: error, roomId }, "join failed");
      }
      const [code, message] = refusal
        ? [refusal.code, refusal.message]
        : databaseUnavailable(error)
          ? [503, `DATABASE_UNAVAILABLE: ${DATABASE_UNAVAILABLE_MESSAGE}`]
          : [500, INTERNAL_MESSAGE];
      client.error(code, message, () =>
        raw.close(reconnectionToken ? CloseCode.FAILED_TO_RECONNECT : CloseCode.WITH_ERROR),
      );
    }
  }
}
