// A client for the whole quick start: sign in, play a blackjack hand and a draw, read the ledger, verify the cards.
//   npm run quickstart -- [server URL, default http://localhost:2567]
import { Client, type Room } from "@colyseus/sdk";

const url = process.argv[2] ?? "http://localhost:2567";
const card = (id: number) => "A23456789TJQK"[id % 13]! + "cdhs"[Math.floor(id / 13)]!;
// biome-ignore lint/suspicious/noExplicitAny: the example reads JSON and synced state as they come
type Json = any;

async function http(path: string, token?: string, body?: object): Promise<Json> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(
    `${url}${path}`,
    body ? { method: "POST", headers, body: JSON.stringify(body) } : { headers },
  );
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function signIn(displayName: string) {
  const { token, player } = await http("/auth/guest", undefined, { displayName });
  const client = new Client(url);
  client.auth.token = token;
  const { formatted } = await http("/wallet", token);
  console.log(`signed in: name=${displayName} player=${player.id} balance=${formatted}`);
  return { name: displayName, id: player.id as string, token: token as string, client };
}

/** Every refusal is an `error` message `{ type, code, message }`; this client expects none. */
function stopOnRefusal(room: Room): Room {
  room.onMessage("error", (error: Json) => {
    console.error(`refused: ${JSON.stringify(error)}`);
    process.exit(1);
  });
  return room;
}
const next = (room: Room, type: string) => new Promise<Json>((resolve) => room.onMessage(type, resolve));

/** The player's ledger rows of one round, as `kind:±amount`. */
async function ledger(player: { token: string }, roundId: string): Promise<string> {
  const { transfers } = await http("/wallet/transfers", player.token);
  const rows = transfers.filter((t: Json) => t.roundId === roundId).reverse();
  return rows.map((t: Json) => `${t.kind}:${t.direction === "credit" ? "+" : "-"}${t.amountMinor}`).join(",");
}

// ---- Blackjack: one hand at a table of our own. ----
const ann = await signIn("Ann");
const table = stopOnRefusal(await ann.client.create("blackjack", { rules: "strip-6d-s17-das-ls", resultSeconds: 1 }));
const dealt: (number | null)[] = []; // every card in deal order; the dealer's hole card is null until turned
table.onMessage("events", (events: Json[]) => {
  for (const event of events) {
    if (event.type === "cardDealt") dealt.push(event.faceDown ? null : event.card);
    if (event.type === "holeCardRevealed") dealt[dealt.indexOf(null)] = event.card;
  }
});
const settled = next(table, "roundSettled");
const revealed = next(table, "seedRevealed");
let serverSeedHash = ""; // the commitment to the shoe, shown before play
const sent = new Set<string>();
const once = (key: string, type: string, payload = {}) => {
  if (sent.has(key)) return;
  sent.add(key);
  table.send(type, payload);
};
table.onStateChange((state: Json) => {
  serverSeedHash ||= state.serverSeedHash;
  const seat = [...state.seats.values()].find((s: Json) => s.playerId === ann.id);
  if (!seat) return;
  if (state.phase === "betting" && seat.betMinor === "0" && !sent.has("bet")) {
    console.log(`blackjack: table=${table.roomId} bet=100 serverSeedHash=${serverSeedHash}`);
    once("bet", "bet", { amountMinor: 100 });
    once("rotate", "rotateSeed"); // reveal this shoe's seed when the round is over
  }
  if (state.phase === "insurance" && seat.insurance === "pending") once("insurance", "insurance", { take: false });
  if (state.phase === "playerTurns" && state.turnSeat === seat.seat) {
    const hand = seat.hands[state.turnHand];
    once(`${state.turnHand}:${hand.cards.length}`, hand.total < 17 ? "hit" : "stand"); // hit to 17, like the dealer
  }
});
const { roundId, result } = await settled;
const mine = result.seats[0];
const hand = mine.hands[0];
const dealer = result.dealerCards.map(card).join(",");
console.log(
  `blackjack: hand=${hand.cards.map(card).join(",")} dealer=${dealer} dealerTotal=${result.dealerTotal} outcome=${hand.outcome} net=${mine.net}`,
);
console.log(`ledger: round=${roundId} transfers=${await ledger(ann, roundId)}`);
const seed = await revealed; // the shoe's server seed, retired at the next round; the first shoe under it is nonce 0
const shoe = await http(
  `/fair/verify?${new URLSearchParams({ serverSeed: seed.serverSeed, serverSeedHash, clientSeed: seed.clientSeed, nonce: "0", decks: "6" })}`,
);
const allMatch = dealt.every((id, i) => id === null || shoe.cards[i] === card(id));
console.log(
  `blackjack: seedRevealed serverSeedHashMatches=${shoe.serverSeedHashMatches} cardsSeen=${dealt.length} allMatch=${allMatch}`,
);
await table.leave();

// ---- Draws: Ann challenges Bob by code; each stakes 1,000 and draws; the higher card takes the pot less 5%. ----
const bob = await signIn("Bob");
const challenge = stopOnRefusal(await ann.client.create("draws", { mode: "private" }));
const code = await new Promise<string>((resolve) => challenge.onStateChange.once((state: Json) => resolve(state.code)));
const opponent = stopOnRefusal(await bob.client.join("draws", { mode: "private", code }));
for (const room of [challenge, opponent]) {
  room.onMessage("*", () => {}); // what this client does not read (Bob's copies of the results)
  // Every attempt (a tie starts another) waits for both players to draw.
  room.onMessage("events", (events: Json[]) => {
    if (events.some((event) => event.type === "attemptStarted")) room.send("draw");
  });
}
const drawn = next(challenge, "roundSettled");
const drawSeed = next(challenge, "seedRevealed");
console.log(`draws: room=${challenge.roomId} code=${code} stakeEach=1000`);
challenge.send("stake", { stakeMinor: "1000" });
opponent.send("stake", { stakeMinor: "1000" });
const round = await drawn;
const attempts = round.result.attempts.map((a: Json) => `${card(a.cards[0])}/${card(a.cards[1])}`).join(",");
const winner = [ann, bob][round.result.winnerSeat]?.name ?? "none";
console.log(`draws: attempts=${attempts} winner=${winner} rake=${round.result.settlement.rakeMinor}`);
console.log(
  `ledger: round=${round.roundId} Ann=${await ledger(ann, round.roundId)} Bob=${await ledger(bob, round.roundId)}`,
);
challenge.send("rotateSeed"); // between rounds the seed is revealed at once
const { serverSeed } = await drawSeed;
let drawsMatch = true;
for (const attempt of round.result.attempts) {
  const query = { mode: "draw", serverSeed, serverSeedHash: attempt.serverSeedHash, clientSeed: attempt.clientSeed };
  const check = await http(`/fair/verify?${new URLSearchParams({ ...query, nonce: String(attempt.nonce) })}`);
  drawsMatch &&= check.serverSeedHashMatches && check.cards.join() === attempt.cards.map(card).join();
}
console.log(`draws: seedRevealed attempts=${round.result.attempts.length} allMatch=${drawsMatch}`);
await challenge.leave();
await opponent.leave();
process.exitCode = allMatch && drawsMatch && shoe.serverSeedHashMatches ? 0 : 1;
