import type { Session } from "./session.ts";

/** What every view gets: the session, and the shell's notice line and balance. */
export interface App {
  session: Session;
  /** Shows a message to the player (an error in plain words, or a status such as "reconnecting"). */
  notify(message: string, kind?: "error" | "info"): void;
  clearNotice(): void;
  /** Re-reads the balance from the wallet and shows it. */
  refreshBalance(): Promise<void>;
  navigate(hash: string): void;
}

/** A mounted view; the shell calls the returned function when the player leaves it. */
export type View = (app: App, root: HTMLElement, params: URLSearchParams) => (() => void) | undefined;
