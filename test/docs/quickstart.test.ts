import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { killSpawnedServers, spawnServer, waitForOutput } from "../support/server-process.ts";

// docs/quickstart.md shows examples/quickstart.ts whole and what it prints. This runs that file against a server
// started as the quick start starts it, and holds the doc to both: the code block is the file, and the printed lines
// are the doc's lines, value for value where the value cannot change (names, words, checks) and in shape elsewhere.

const EXAMPLE = "examples/quickstart.ts";
const doc = readFileSync("docs/quickstart.md", "utf8");

afterAll(() => killSpawnedServers());

/** The body of the first fenced block of `language` after `heading`. */
function block(heading: string, language: string): string {
  const section = doc.slice(doc.indexOf(heading));
  const match = new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(section);
  if (!doc.includes(heading) || !match) throw new Error(`docs/quickstart.md has no ${language} block under ${heading}`);
  return match[1]!;
}

/** A line with the values that differ from run to run (ids, cards, amounts, outcomes) blanked: `key=…`. */
const shape = (line: string) => line.replace(/=\S+/g, "=…");
const value = (line: string, key: string) => new RegExp(`(?:^| )${key}=(\\S+)`).exec(line)?.[1];
/** Sum of `kind:±amount` entries. */
const sum = (rows: string) => rows.split(",").reduce((total, row) => total + Number(row.split(":")[1]), 0);

function runExample(url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [EXAMPLE, url], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe("docs/quickstart.md", () => {
  it("shows examples/quickstart.ts as it is", () => {
    expect(block("## The client", "ts")).toBe(readFileSync(EXAMPLE, "utf8"));
  });

  it("the example plays a blackjack hand and a draw against a server and prints what the doc shows", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = spawnServer({ PORT: String(port), DATA_DIR: "memory://", PHYSICS_BACKEND: "cpu" });
    await waitForOutput(server, /server listening/, 120_000);

    const run = await runExample(url);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toBe("");
    const printed = run.stdout.trimEnd().split("\n");
    const shown = block("## What it prints", "text").trimEnd().split("\n");
    expect(printed.map(shape)).toEqual(shown.map(shape));

    // The values the doc promises whatever the cards: every check passed, and the ledger tells what the rooms said.
    const line = (prefix: string, index = 0) => printed.filter((l) => l.startsWith(prefix))[index]!;
    for (const verified of [line("blackjack: seedRevealed"), line("draws: seedRevealed")]) {
      expect(value(verified, "allMatch")).toBe("true");
    }
    expect(value(line("blackjack: seedRevealed"), "serverSeedHashMatches")).toBe("true");
    expect(Number(value(line("blackjack: seedRevealed"), "cardsSeen"))).toBeGreaterThanOrEqual(3);
    const hand = line("blackjack: hand");
    const blackjackLedger = line("ledger:", 0);
    expect(value(blackjackLedger, "round")).toBe(`blackjack:${value(line("blackjack: table"), "table")}:1`);
    expect(sum(value(blackjackLedger, "transfers")!)).toBe(Number(value(hand, "net")));
    const draw = line("draws: attempts");
    const drawsLedger = line("ledger:", 1);
    expect(value(drawsLedger, "round")).toBe(`draws:${value(line("draws: room"), "room")}:1`);
    const ann = sum(value(drawsLedger, "Ann")!);
    const bob = sum(value(drawsLedger, "Bob")!);
    // Stakes of 1,000 each: a push returns both; otherwise the winner gets the pot less the 5% rake.
    expect(ann + bob).toBe(-Number(value(draw, "rake")));
    expect(value(draw, "winner") === "none" ? [ann, bob] : [ann, bob].sort((a, b) => a - b)).toEqual(
      value(draw, "winner") === "none" ? [0, 0] : [-1000, 900],
    );

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }, 240_000);
});
