import { type NextFunction, type Request, type RequestHandler, type Response, Router } from "express";
import { requirePlayer } from "../auth/require-player.ts";
import type { TokenService } from "../auth/tokens.ts";
import { auditReportJson } from "./audit.ts";
import { WalletError, type WalletErrorCode } from "./errors.ts";
import { LEDGER_PAGE_MAX, type Wallet } from "./wallet.ts";

export interface WalletRouterOptions {
  wallet: Wallet;
  tokens: TokenService;
  /** Guards the operator routes (basic auth of the operator). */
  requireOperator: RequestHandler;
}

const DEFAULT_PAGE_SIZE = 20;
/** Transfer ids are Postgres bigints. */
const MAX_TRANSFER_ID = 2n ** 63n - 1n;

const STATUS_BY_CODE: Partial<Record<WalletErrorCode, number>> = {
  BAD_AMOUNT: 400,
  BAD_REQUEST: 400,
  WALLET_NOT_FOUND: 404,
  ROUND_NOT_FOUND: 404,
  BUSY: 503,
};

/**
 * GET /wallet and GET /wallet/transfers for the signed-in player (their own wallet only: the player comes from the
 * token, never from the request), and GET /admin/audit for the operator.
 */
export function createWalletRouter(options: WalletRouterOptions): Router {
  const { wallet, tokens, requireOperator } = options;
  const router = Router();
  const player = requirePlayer(tokens);

  router.get("/wallet", player, async (req: Request, res: Response) => {
    const balance = await wallet.balance(req.player!.playerId);
    res.json({
      playerId: balance.playerId,
      balanceMinor: balance.balanceMinor.toString(),
      currency: balance.currency,
      currencyScale: balance.currencyScale,
      formatted: balance.formatted,
    });
  });

  router.get("/wallet/transfers", player, async (req: Request, res: Response) => {
    const limit = pageSize(req.query.limit);
    const beforeId = cursor(req.query.before);
    const page = await wallet.ledger(req.player!.playerId, { limit, beforeId });
    res.json({
      transfers: page.transfers.map((entry) => ({
        id: entry.id.toString(),
        kind: entry.kind,
        direction: entry.direction,
        amountMinor: entry.amountMinor.toString(),
        formatted: wallet.format(entry.direction === "credit" ? entry.amountMinor : -entry.amountMinor),
        roundId: entry.roundId,
        createdAt: entry.createdAt.toISOString(),
      })),
      nextBefore: page.nextBeforeId === null ? null : page.nextBeforeId.toString(),
    });
  });

  router.get("/admin/audit", requireOperator, async (_req: Request, res: Response) => {
    const report = await wallet.audit();
    res.status(report.ok ? 200 : 500).json(auditReportJson(report));
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof WalletError)) {
      next(error);
      return;
    }
    res.status(STATUS_BY_CODE[error.code] ?? 409).json({ error: error.code, message: error.message });
  });

  return router;
}

function pageSize(value: unknown): number {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  if (typeof value !== "string" || !/^\d{1,3}$/.test(value) || Number(value) < 1) {
    throw new WalletError("BAD_REQUEST", `limit must be a whole number from 1 to ${LEDGER_PAGE_MAX}`);
  }
  return Math.min(Number(value), LEDGER_PAGE_MAX);
}

function cursor(value: unknown): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^\d{1,19}$/.test(value) || BigInt(value) > MAX_TRANSFER_ID) {
    throw new WalletError("BAD_REQUEST", "before must be a transfer id from a previous page's nextBefore");
  }
  return BigInt(value);
}
