// npm run bench:capacity: how many clients one server process holds, against the framework's own ceiling.
//
// For each room kind (a bare Colyseus room that only echoes, then blackjack, draws and pool), this starts a server
// process and drives it from a second process at rising client counts. Every client plays by the rules (the bots of
// loadtest/bots) and once a second sends a probe the room answers at once (the echo room echoes it; our rooms refuse
// it as an unknown message, through the same path as every intent), so the probe's round trip is the room's message
// latency under that load. A step holds until p99 passes 100 ms or errors appear. Printed per room: the peak clients
// and rooms held within the limit, p50/p99 at it, server CPU and resident memory per 100 clients, the ratio to echo.
//
// BENCH_STEPS=50,100,200 (clients per step), BENCH_STEP_MS=6000, BENCH_ROOMS=echo,blackjack,draws,pool,
// BENCH_DATABASE_URL (Postgres; PGlite in memory without it), BENCH_DRAWS_THINK_MS (1000), BENCH_SERVER_NODE_ARGS
// (e.g. "--prof --logfile=/tmp/v8.log" to profile our server).
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { RAISED_RATE_LIMITS } from "../scripts/raised-limits.ts";

const SELF = fileURLToPath(import.meta.url);
const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const P99_LIMIT_MS = 100;
const PROBE_EVERY_MS = 1_000;
const STEPS = (process.env.BENCH_STEPS ?? "50,100,200,400,800,1600").split(",").map(Number);
const STEP_MS = Number(process.env.BENCH_STEP_MS ?? 6_000);
const ROOMS = (process.env.BENCH_ROOMS ?? "echo,blackjack,draws,pool").split(",");
const PROBE = "benchProbe";
/** The close code of a room that disconnects its clients itself (Colyseus' CloseCode.CONSENTED). */
const CLOSE_CONSENTED = 4000;
/**
 * A draws player's reaction time before each stake, draw and rematch (BENCH_DRAWS_THINK_MS). Bots that act the moment
 * the state allows play a round every few milliseconds: that measures the wallet's round throughput, not how many
 * players a process holds. Blackjack is paced by its table's timers, pool by its shots' animation.
 */
const DRAWS_THINK_MS = Number(process.env.BENCH_DRAWS_THINK_MS ?? 1_000);
const CLOCK_TICKS_PER_S = 100;
const PAGE_KB = 4;
/**
 * The resident-memory budget of one server process (docs/benchmarks.md): idle, ready and without players, and
 * added per 100 connected players. PGlite is Postgres compiled to WebAssembly, in the process: it costs its own share.
 */
const IDLE_RSS_BUDGET_MB = process.env.BENCH_DATABASE_URL ? 300 : 650;
const RSS_PER_100_CLIENTS_BUDGET_MB = 10;

interface StepResult {
  clients: number;
  rooms: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  causes?: Record<string, number>;
  from: number;
  to: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- the echo server (framework ceiling)

async function serveEcho(port: number) {
  const { Room, Server } = await import("@colyseus/core");
  const { WebSocketTransport } = await import("@colyseus/ws-transport");
  class EchoRoom extends Room {
    override maxClients = 7;
    override onCreate() {
      this.onMessage("*", (client, type, payload) => client.send("error", { type, payload }));
    }
  }
  const server = new Server({ transport: new WebSocketTransport(), greet: false, gracefullyShutdown: false });
  server.define("echo", EchoRoom);
  await server.listen(port);
  console.log("server listening");
}

// ---------------------------------------------------------------- the driver (second process)

async function drive(roomName: string, url: string) {
  const { Client } = await import("@colyseus/sdk");
  const { BlackjackBot } = await import("../bots/blackjack-bot.ts");
  const { DrawBot } = await import("../bots/draw-bot.ts");
  const { PoolBot } = await import("../bots/pool-bot-client.ts");
  type SdkRoom = Awaited<ReturnType<InstanceType<typeof Client>["create"]>>;
  const latencies: number[] = [];
  let errors = 0;
  /** Why errors happened, for the report: close codes and probes that did not come back. */
  const causes = new Map<string, number>();
  const fail = (cause: string) => {
    errors += 1;
    causes.set(cause, (causes.get(cause) ?? 0) + 1);
  };
  const roomIds = new Set<string>();

  const signIn = async (name: string) => {
    if (roomName === "echo") return { token: "", player: { id: name, displayName: name } };
    const response = await fetch(`${url}/auth/guest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ displayName: name }),
    });
    if (response.status !== 201) throw new Error(`sign-in ${response.status}`);
    return (await response.json()) as { token: string; player: { id: string } };
  };

  let openTable: { id: string; seated: number } | null = null;
  let players = 0;
  /** Seats a signed-in player in a room (a new one when theirs closed after its match), with its bot and probe. */
  const enter = async (client: InstanceType<typeof Client>, guest: { player: { id: string } }): Promise<void> => {
    let room: SdkRoom;
    if (roomName === "echo" || roomName === "blackjack") {
      if (openTable && openTable.seated < 7) {
        room = await client.joinById(openTable.id);
        openTable.seated += 1;
      } else {
        room = await client.create(roomName);
        openTable = { id: room.roomId, seated: 1 };
      }
    } else {
      room = await client.joinOrCreate(roomName, { mode: "quick", stakeMinor: 100 });
    }
    roomIds.add(room.roomId);
    for (const type of ["events", "seedRevealed", "roundSettled", "matchStarted", "shot", "decision", "timeout"])
      room.onMessage(type, () => {});
    room.onMessage("matchOver", () => {});
    room.onLeave((code: number) => {
      // A room closes itself once its match is over (4000, a consented leave): the player joins the next one.
      if (code === CLOSE_CONSENTED) {
        roomIds.delete(room.roomId);
        enter(client, guest).catch((error) => fail(`rejoin failed: ${error}`));
      } else if (code !== 1000) {
        fail(`closed ${code}`);
      }
    });
    if (roomName === "blackjack") {
      new BlackjackBot(room, { playerId: guest.player.id, betMinor: (t) => BigInt(t.minBetMinor) });
    } else if (roomName === "draws") {
      new DrawBot(room, {
        playerId: guest.player.id,
        stakeMinor: () => 100n,
        rematchAfterMatchOver: true,
        thinkMs: DRAWS_THINK_MS,
      });
    } else if (roomName === "pool") {
      new PoolBot(room, { playerId: guest.player.id });
    }
    let sentAt = 0;
    room.onMessage("error", (error: { type: string }) => {
      if (error.type === PROBE && sentAt > 0) {
        latencies.push(performance.now() - sentAt);
        sentAt = 0;
      }
    });
    const timer = setInterval(() => {
      if (!room.connection.isOpen) return clearInterval(timer);
      if (sentAt > 0) fail("probe unanswered for a second");
      sentAt = performance.now();
      room.send(PROBE, {});
    }, PROBE_EVERY_MS);
    // Spread the probes over the second rather than sending them in bursts.
    timer.refresh();
  };
  const join = async (index: number): Promise<void> => {
    const guest = await signIn(`Bench ${index}`);
    const client = new Client(url);
    client.auth.token = guest.token;
    await enter(client, guest);
    players += 1;
  };

  for (const clients of STEPS) {
    try {
      for (let i = players; i < clients; i += 1) await join(i);
    } catch (error) {
      console.log(JSON.stringify({ failed: String(error) }));
      break;
    }
    await pause(STEP_MS / 3);
    latencies.length = 0;
    errors = 0;
    causes.clear();
    const from = Date.now();
    await pause(STEP_MS);
    const sorted = [...latencies].sort((a, b) => a - b);
    const result: StepResult = {
      clients,
      rooms: roomIds.size,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      errors,
      causes: Object.fromEntries(causes),
      from,
      to: Date.now(),
    };
    console.log(JSON.stringify(result));
    if (result.p99Ms > P99_LIMIT_MS || result.errors > 0) break;
  }
  process.exit(0);
}

// ---------------------------------------------------------------- the parent: servers, sampling, report

interface Sample {
  at: number;
  cpuTicks: number;
  rssKb: number;
}

function sampleProcess(pid: number): Sample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {
      at: Date.now(),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      rssKb: Number(fields[21]) * PAGE_KB,
    };
  } catch {
    return null;
  }
}

function startServer(roomName: string, port: number): ChildProcess {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    PORT: String(port),
    LOG_LEVEL: "warn",
    JWT_SECRET: "a-secret-for-the-capacity-bench-that-is-long-enough",
    PHYSICS_BACKEND: "cpu",
    ...RAISED_RATE_LIMITS,
  };
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  else env.DATA_DIR = "memory://";
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const args = [...nodeArgs, ...(roomName === "echo" ? [SELF, "--serve-echo", String(port)] : [MAIN])];
  return spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
}

async function waitReady(url: string, roomName: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const path = roomName === "echo" ? "/__healthcheck" : "/ready";
    if ((await fetch(`${url}${path}`).catch(() => null))?.ok) return;
    await pause(200);
  }
  throw new Error(`the ${roomName} server did not start`);
}

interface RoomReport {
  room: string;
  idleRssMb: number;
  peak: StepResult | null;
  cpuPercentPer100: number;
  rssMbPer100: number;
  rssMbAtPeak: number;
}

async function measure(roomName: string): Promise<RoomReport> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startServer(roomName, port);
  server.stderr?.on("data", () => {});
  server.stdout?.on("data", () => {});
  await waitReady(url, roomName);
  await pause(2_000);
  const idle = sampleProcess(server.pid!)!;
  const samples: Sample[] = [idle];
  const sampler = setInterval(() => {
    const sample = sampleProcess(server.pid!);
    if (sample) samples.push(sample);
  }, 250);

  const driver = spawn(process.execPath, [SELF, "--drive", roomName, url], { stdio: ["ignore", "pipe", "inherit"] });
  const steps: StepResult[] = [];
  let buffer = "";
  driver.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk;
    for (let newline = buffer.indexOf("\n"); newline >= 0; newline = buffer.indexOf("\n")) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!line.startsWith("{")) continue;
      const parsed = JSON.parse(line) as StepResult | { failed: string };
      if ("failed" in parsed) {
        console.log(`  ${roomName}: a client could not join (${parsed.failed})`);
        continue;
      }
      steps.push(parsed);
      const window = samples.filter((s) => s.at >= parsed.from && s.at <= parsed.to);
      const cpu =
        window.length > 1
          ? (100 * (window.at(-1)!.cpuTicks - window[0]!.cpuTicks)) /
            CLOCK_TICKS_PER_S /
            ((window.at(-1)!.at - window[0]!.at) / 1000)
          : Number.NaN;
      const rssMb = (window.at(-1)?.rssKb ?? 0) / 1024;
      Object.assign(parsed, { cpuPercent: cpu, rssMb });
      console.log(
        `  ${roomName.padEnd(9)} ${String(parsed.clients).padStart(5)} clients ${String(parsed.rooms).padStart(4)} rooms  ` +
          `p50 ${parsed.p50Ms.toFixed(1)} ms  p99 ${parsed.p99Ms.toFixed(1)} ms  errors ${parsed.errors}` +
          `${parsed.errors > 0 ? ` ${JSON.stringify(parsed.causes)}` : ""}  ` +
          `cpu ${cpu.toFixed(0)} %  rss ${rssMb.toFixed(0)} MB`,
      );
    }
  });
  await new Promise((resolve) => driver.on("exit", resolve));
  clearInterval(sampler);
  if (process.env.BENCH_SERVER_NODE_ARGS) {
    // A profiling server writes its profile on a clean exit: ask it to stop, and only then force it.
    const exited = new Promise((resolve) => server.on("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, pause(30_000)]);
  }
  server.kill("SIGKILL");

  const within = steps.filter((s) => s.p99Ms <= P99_LIMIT_MS && s.errors === 0);
  const peak = within.at(-1) ?? null;
  const peakExtra = peak as (StepResult & { cpuPercent: number; rssMb: number }) | null;
  const idleRssMb = idle.rssKb / 1024;
  return {
    room: roomName,
    idleRssMb,
    peak,
    cpuPercentPer100: peakExtra ? (peakExtra.cpuPercent / peakExtra.clients) * 100 : Number.NaN,
    rssMbPer100: peakExtra ? ((peakExtra.rssMb - idleRssMb) / peakExtra.clients) * 100 : Number.NaN,
    rssMbAtPeak: peakExtra?.rssMb ?? Number.NaN,
  };
}

async function main() {
  console.log(
    `capacity: steps ${STEPS.join(", ")} clients, ${STEP_MS} ms each, p99 limit ${P99_LIMIT_MS} ms, ` +
      `database ${process.env.BENCH_DATABASE_URL ? "Postgres" : "PGlite (memory)"}`,
  );
  const reports: RoomReport[] = [];
  for (const roomName of ROOMS) reports.push(await measure(roomName));
  const echoPeak = reports.find((r) => r.room === "echo")?.peak?.clients;
  console.log("\nroom       peak clients  rooms  p50 ms  p99 ms  cpu %/100 cl  rss MB/100 cl  idle rss MB  vs echo");
  for (const r of reports) {
    const peak = r.peak;
    console.log(
      [
        r.room.padEnd(10),
        String(peak?.clients ?? 0).padStart(12),
        String(peak?.rooms ?? 0).padStart(6),
        (peak?.p50Ms ?? Number.NaN).toFixed(1).padStart(7),
        (peak?.p99Ms ?? Number.NaN).toFixed(1).padStart(7),
        r.cpuPercentPer100.toFixed(1).padStart(13),
        r.rssMbPer100.toFixed(1).padStart(14),
        r.idleRssMb.toFixed(0).padStart(12),
        (echoPeak && peak ? (peak.clients / echoPeak).toFixed(2) : "-").padStart(8),
      ].join(" "),
    );
  }
  console.log(`\n(a peak at the last step means the ceiling is above it: raise BENCH_STEPS)`);
  console.log(
    `memory budget: idle ≤ ${IDLE_RSS_BUDGET_MB} MB, ≤ ${RSS_PER_100_CLIENTS_BUDGET_MB} MB per 100 clients at the peak`,
  );
  for (const r of reports.filter((report) => report.room !== "echo")) {
    const held = r.idleRssMb <= IDLE_RSS_BUDGET_MB && r.rssMbPer100 <= RSS_PER_100_CLIENTS_BUDGET_MB;
    console.log(
      `  ${r.room.padEnd(10)} idle ${r.idleRssMb.toFixed(0)} MB, ${r.rssMbPer100.toFixed(1)} MB per 100: ` +
        `${held ? "held" : "OVER"}`,
    );
  }
}

const [mode, a, b] = process.argv.slice(2);
if (mode === "--serve-echo") await serveEcho(Number(a));
else if (mode === "--drive") await drive(a!, b!);
else await main();
