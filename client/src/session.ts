import { Client, type Room } from "@colyseus/sdk";
import { describeFailure } from "./errors.ts";

const TOKEN_KEY = "tablestakes.token";
const NAME_KEY = "tablestakes.name";

export interface Profile {
  id: string;
  displayName: string;
  balanceMinor: string;
  balance: string;
  currency: string;
}

export interface Transfer {
  id: string;
  kind: string;
  direction: "credit" | "debit";
  amountMinor: string;
  formatted: string;
  roundId: string | null;
  createdAt: string;
}

export class HttpRefusal extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(`${code}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

/** The signed-in player: their token, the SDK client, and the HTTP routes that need the token. */
export class Session {
  readonly client: Client;
  token = "";
  displayName = "";

  readonly endpoint: string;

  constructor(endpoint: string) {
    this.endpoint = endpoint;
    this.client = new Client(endpoint);
    this.token = localStorage.getItem(TOKEN_KEY) ?? "";
    this.displayName = localStorage.getItem(NAME_KEY) ?? "";
    this.client.auth.token = this.token;
  }

  /** The player id is the token's subject (the token is signed by the server; reading it needs no secret). */
  get playerId(): string {
    try {
      const payload = this.token.split(".")[1] ?? "";
      const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
      return String((JSON.parse(json) as { sub?: unknown }).sub ?? "");
    } catch {
      return "";
    }
  }

  get signedIn(): boolean {
    return this.token !== "";
  }

  async signIn(displayName: string): Promise<void> {
    const answer = await this.request<{ token: string; player: { displayName: string } }>("POST", "/auth/guest", {
      displayName,
    });
    this.token = answer.token;
    this.displayName = answer.player.displayName;
    this.client.auth.token = this.token;
    localStorage.setItem(TOKEN_KEY, this.token);
    localStorage.setItem(NAME_KEY, this.displayName);
  }

  signOut(): void {
    this.token = "";
    this.client.auth.token = "";
    localStorage.removeItem(TOKEN_KEY);
  }

  wallet() {
    return this.request<{ balanceMinor: string; formatted: string; currency: string; currencyScale: number }>(
      "GET",
      "/wallet",
    );
  }

  transfers(limit = 20) {
    return this.request<{ transfers: Transfer[]; nextBefore: string | null }>(
      "GET",
      `/wallet/transfers?limit=${limit}`,
    );
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!response.ok) {
      throw new HttpRefusal(response.status, String(json.error ?? response.status), String(json.message ?? ""));
    }
    return json as T;
  }
}

/** Reconnects on its own after a dropped connection (the SDK retries with backoff); the view is told both ways. */
export function watchConnection(
  room: Room,
  on: { dropped: () => void; back: () => void; gone: (code: number, reason: string) => void },
): void {
  // A connection dropped in the first seconds is worth recovering too, not only one that has been up a while.
  room.reconnection.minUptime = 0;
  room.onDrop(() => on.dropped());
  room.onReconnect(() => on.back());
  room.onLeave((code: number, reason?: string) => on.gone(code, reason ?? ""));
}

export { describeFailure };
