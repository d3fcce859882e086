// npm run dev:cluster -- --nodes 3 --regions eu,us
// Several game nodes on this machine, sharing the local Postgres and Redis as pods share them in a cluster: each node
// has its own REGION (dealt round-robin), PORT and PUBLIC_ADDRESS, and one JWT secret, so a token from any node works
// on every node and a room on any node can be joined from any other. Ctrl-C drains every node as SIGTERM does a pod.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";

const USAGE = `usage: npm run dev:cluster -- [--nodes N] [--regions a,b,...] [--base-port PORT]
  --nodes       game nodes to start (1-16, default 3)
  --regions     regions dealt to the nodes in turn (default eu,us)
  --base-port   the first node's port; node i listens on base-port + i (default 2567)
environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tablestakes_dev, created if missing),
             REDIS_URL (default redis://127.0.0.1:6379/0), SHUTDOWN_DEADLINE_MS, PHYSICS_BACKEND, LOG_LEVEL`;

const MAX_NODES = 16;
const READY_TIMEOUT_MS = 60_000;
const REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const MIGRATE = fileURLToPath(new URL("./migrate.ts", import.meta.url));
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tablestakes_dev";

interface NodeSpec {
  name: string;
  region: string;
  port: number;
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseOptions(): { nodes: NodeSpec[] } {
  let parsed: ReturnType<typeof parseArgs<{ options: Record<string, { type: "string" }> }>>;
  try {
    parsed = parseArgs({
      options: { nodes: { type: "string" }, regions: { type: "string" }, "base-port": { type: "string" } },
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const count = Number(parsed.values.nodes ?? "3");
  if (!Number.isInteger(count) || count < 1 || count > MAX_NODES) fail(`--nodes must be 1 to ${MAX_NODES}`);
  const regions = String(parsed.values.regions ?? "eu,us")
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
  if (regions.length === 0 || !regions.every((r) => REGION.test(r)))
    fail("--regions must be lowercase names (letters, digits, dashes), comma-separated");
  const basePort = Number(parsed.values["base-port"] ?? "2567");
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + count - 1 > 65535)
    fail("--base-port must leave room for every node between 1024 and 65535");
  const perRegion = new Map<string, number>();
  const nodes = Array.from({ length: count }, (_, i) => {
    const region = regions[i % regions.length]!;
    const n = (perRegion.get(region) ?? 0) + 1;
    perRegion.set(region, n);
    return { name: `${region}-${n}`, region, port: basePort + i };
  });
  return { nodes };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once("error", () => resolve(false))
      .listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** Creates the development database on first use, so one command is enough on a fresh machine. */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach Postgres at ${target.host}: ${error instanceof Error ? error.message : error}`);
  }
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) {
      await client.query(`create database "${name.replaceAll('"', '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

function run(file: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    spawn(process.execPath, [file], { env, stdio: "inherit" }).on("exit", (code) => resolve(code ?? 1));
  });
}

function prefixLines(child: ChildProcess, label: string, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        process.stdout.write(`[${label}] ${line}\n`);
        onLine(line);
      }
    });
  }
}

const { nodes } = parseOptions();
const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379/0";
const taken = (await Promise.all(nodes.map(async (n) => ((await portFree(n.port)) ? undefined : n.port)))).filter(
  (p) => p !== undefined,
);
if (taken.length > 0) fail(`port ${taken.join(", ")} already in use; pick another --base-port`);
if (!process.env.DATABASE_URL) await ensureDatabase(databaseUrl);

const sharedEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "development",
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  // One secret for the cluster: a token signed by one node is accepted by all of them, as in a real deployment.
  JWT_SECRET: process.env.JWT_SECRET || randomBytes(32).toString("hex"),
};
// Migrations once, before any node starts, instead of every node racing to apply them.
if ((await run(MIGRATE, sharedEnv)) !== 0) process.exit(1);

const children: ChildProcess[] = [];
let stopping = false;
const readyNodes = new Set<string>();
let exited = 0;
let failed = false;

const readyTimer = setTimeout(() => {
  console.error(`not every node started within ${READY_TIMEOUT_MS / 1000} s; stopping the cluster`);
  failed = true;
  stopAll("SIGTERM");
}, READY_TIMEOUT_MS);

function stopAll(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  clearTimeout(readyTimer);
  console.log(`stopping ${children.length} nodes (${signal}): running games drain first`);
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}

for (const node of nodes) {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...sharedEnv, REGION: node.region, PORT: String(node.port), PUBLIC_ADDRESS: `127.0.0.1:${node.port}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  prefixLines(child, node.name, (line) => {
    if (!line.includes("server listening") || readyNodes.has(node.name)) return;
    readyNodes.add(node.name);
    if (readyNodes.size < nodes.length) return;
    clearTimeout(readyTimer);
    console.log(`\ncluster ready: ${nodes.length} nodes on Redis ${redisUrl} and ${new URL(databaseUrl).pathname}`);
    for (const n of nodes)
      console.log(`  ${n.name.padEnd(12)} region ${n.region.padEnd(8)} http://127.0.0.1:${n.port}`);
    console.log(`sign in on any node (POST /auth/guest); rooms on one node are joinable from all. Ctrl-C stops.\n`);
  });
  child.on("exit", (code, signal) => {
    exited++;
    if (!stopping) {
      console.error(`[${node.name}] exited (${code ?? signal}); stopping the cluster`);
      failed = true;
      stopAll("SIGTERM");
    } else if (code !== 0) {
      failed = true;
    }
    if (exited === children.length) process.exit(failed ? 1 : 0);
  });
}

process.on("SIGINT", () => stopAll("SIGTERM"));
process.on("SIGTERM", () => stopAll("SIGTERM"));
