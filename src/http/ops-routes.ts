import express, { type RequestHandler, type Router } from "express";
import { registry } from "../metrics/metrics.ts";

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface OpsRouteDeps {
  checks: ReadinessCheck[];
  /** False once shutdown has begun, so load balancers stop sending players here. */
  accepting: () => boolean;
  monitor: { guard: RequestHandler; handler: RequestHandler };
}

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck({ name, check }: ReadinessCheck): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return undefined;
  } catch (error) {
    return `${name}: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

export function createOpsRouter(deps: OpsRouteDeps): Router {
  const router = express.Router();

  router.get("/health", (_req, res) => {
    res.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) });
  });

  router.get("/ready", async (_req, res) => {
    const problems = (await Promise.all(deps.checks.map(runCheck))).filter((p): p is string => p !== undefined);
    if (!deps.accepting()) problems.unshift("server: shutting down");
    if (problems.length > 0) {
      res.status(503).json({ status: "unavailable", problems });
      return;
    }
    res.json({ status: "ready", checks: deps.checks.map((c) => c.name) });
  });

  router.get("/metrics", async (_req, res, next) => {
    try {
      res.setHeader("Content-Type", registry.contentType);
      res.send(await registry.metrics());
    } catch (error) {
      next(error);
    }
  });

  router.use("/colyseus", deps.monitor.guard, deps.monitor.handler);
  return router;
}
