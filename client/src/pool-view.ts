import type { Room } from "@colyseus/sdk";
import { MAX_CUE_BALL_SPEED_M_S, MISCUE_OFFSET_LIMIT } from "../../simulation/pool/cue-strike.ts";
import { type TableSize, tableGeometry, WPA_BALL_RADIUS_M } from "../../simulation/pool/equipment.ts";
import type { App, View } from "./app.ts";
import { h, replaceChildren, secondsLeft } from "./dom.ts";
import { describeFailure, plainWords, type ServerRefusal } from "./errors.ts";
import { takeHandedOff } from "./handoff.ts";
import { formatMinor, parseMajor } from "./money.ts";
import { ShotTracks, type WireKeyframes } from "./pool-keyframes.ts";
import { watchConnection } from "./session.ts";

/** The synced PoolRoom (rooms/pool/room-state.ts) as the SDK decodes it. */
interface PoolSeat {
  seat: number;
  playerId: string;
  displayName: string;
  connected: boolean;
  accepted: boolean;
  group: string;
  extensionsLeft: number;
}
interface PoolState {
  mode: string;
  code: string;
  matchId: string;
  phase: string;
  table: string;
  stakeMinor: string;
  seats: Map<string, PoolSeat>;
  rulesPhase: string;
  shooter: number;
  ballInHand: string;
  mustCallPocket: boolean;
  decisionReason: string;
  balls: Iterable<{ id: number; x: number; y: number }>;
  shotCount: number;
  shotInProgress: boolean;
  deadline: number;
  winnerSeat: number;
  endReason: string;
  serverSeedHash: string;
  clientSeed: string;
  serverSeed: string;
}
interface ShotMessage {
  shotNumber: number;
  seat: number;
  request: { calledPocket: number | null };
  keyframes: WireKeyframes;
  totalTimeS: number;
  balls: [number, number, number][];
  outcome: { fouls: string[]; nextShooter: number; ballInHand: string | null; gameOver: boolean; legal: boolean };
}
type Ball = { id: number; x: number; y: number };

const R = WPA_BALL_RADIUS_M;
const COLOURS = ["#f5f5f0", "#f2c500", "#1f4fbf", "#d62c1a", "#5b2a86", "#f07d00", "#0f7a3a", "#7a1b1b", "#111111"];
const FOUL_WORDS: Record<string, string> = {
  scratch: "the cue ball went in a pocket",
  wrongBallFirst: "the wrong ball was hit first",
  noContact: "the cue ball hit nothing",
  noRail: "no ball reached a cushion after the contact",
  badBreak: "an illegal break",
  ballInHandNotBehindHeadString: "the first ball hit was not past the head string",
  timeout: "the shot clock ran out",
};
const END_WORDS: Record<string, string> = {
  eightBallInCalledPocket: "the 8 in the called pocket",
  forfeit: "a forfeit",
  concede: "a concession",
  timeCap: "the match time cap",
  abandoned: "abandonment",
};

function colourOf(id: number): string {
  return COLOURS[id > 8 ? id - 8 : id]!;
}

function poolEntry(app: App, root: HTMLElement) {
  const stake = h("input", { id: "pl-stake", inputmode: "decimal", value: "5.00", "aria-label": "Stake" });
  const code = h("input", { id: "pl-code", maxlength: 6, autocomplete: "off", "aria-label": "Challenge code" });
  const practice = async (level: string) => {
    try {
      const match = await app.session.request<{ roomId: string; code: string }>("POST", "/practice/pool", { level });
      app.navigate(`#/pool?${new URLSearchParams({ room: match.roomId, code: match.code, bot: level })}`);
    } catch (error) {
      app.notify(describeFailure(error));
    }
  };
  const staked = (query: Record<string, string>) => {
    const amount = parseMajor(stake.value);
    if (amount === null) return app.notify("Type a stake such as 5 or 2.50.");
    app.navigate(`#/pool?${new URLSearchParams({ ...query, stake: amount.toString() })}`);
  };
  root.append(
    h(
      "section",
      { class: "panel" },
      h("h1", {}, "8-Ball Pool"),
      h("h2", {}, "Practice against the bot"),
      h("p", { class: "practice" }, "Practice: no stake, no money moves."),
      h(
        "div",
        { class: "row" },
        ["easy", "medium", "hard"].map((level) =>
          h("button", { type: "button", "data-bot": level, onClick: () => void practice(level) }, `Bot: ${level}`),
        ),
      ),
      h("h2", {}, "Play a person"),
      h(
        "div",
        { class: "row" },
        h("div", {}, h("label", { for: "pl-stake" }, "Stake"), stake),
        h("button", { type: "button", onClick: () => staked({ quick: "1" }) }, "Quick match"),
        h("button", { type: "button", onClick: () => staked({ challenge: "1" }) }, "Challenge a friend"),
      ),
      h(
        "div",
        { class: "row" },
        h("div", {}, h("label", { for: "pl-code" }, "Friend's code"), code),
        h(
          "button",
          { type: "button", onClick: () => app.navigate(`#/pool?code=${encodeURIComponent(code.value.trim())}`) },
          "Join with code",
        ),
      ),
    ),
  );
}

export const poolView: View = (app, root, params) => {
  if (![...params.keys()].some((k) => ["room", "quick", "challenge", "code", "handoff"].includes(k))) {
    poolEntry(app, root);
    return undefined;
  }
  const myId = app.session.playerId;
  const status = h("p", { class: "phase", id: "pl-status", "aria-live": "polite" }, "Joining…");
  const timer = h("span", { class: "timer", id: "pl-timer" });
  const banner = h("div", { id: "pl-banner" });
  const canvas = h("canvas", {
    class: "pool",
    id: "pl-canvas",
    width: 960,
    height: 540,
    tabindex: 0,
    "aria-label": "Pool table. Arrow keys aim and set power, space shoots.",
  });
  const lastShot = h("p", { id: "pl-last", "aria-live": "polite" });
  const power = h("input", { type: "range", id: "pl-power", min: 1, max: 100, value: 35, "aria-label": "Power" });
  const side = h("input", { type: "range", id: "pl-side", min: -50, max: 50, value: 0, "aria-label": "Side spin" });
  const vertical = h("input", {
    type: "range",
    id: "pl-vertical",
    min: -50,
    max: 50,
    value: 0,
    "aria-label": "Follow or draw",
  });
  const shootButton = h("button", { type: "button", id: "pl-shoot" }, "Shoot");
  const controls = h("div", { class: "controls", id: "pl-controls" });
  root.append(
    h(
      "section",
      { class: "panel" },
      h("div", { class: "table-head" }, h("h1", {}, "8-Ball"), status, timer),
      banner,
      h("div", { class: "pool-wrap" }, canvas),
      lastShot,
      h(
        "div",
        { class: "row" },
        h("div", {}, h("label", { for: "pl-power" }, "Power"), power),
        h("div", {}, h("label", { for: "pl-side" }, "Side (left/right english)"), side),
        h("div", {}, h("label", { for: "pl-vertical" }, "Draw / follow"), vertical),
        shootButton,
      ),
      controls,
    ),
  );

  let room: Room | undefined;
  let state: PoolState | undefined;
  let left = false;
  let aimRad = 0;
  let placedCue: { x: number; y: number } | null = null;
  let calledPocket: number | null = null;
  let dragging: "cue" | "aim" | null = null;
  let animation: { tracks: ShotTracks; message: ShotMessage; startMs: number; frames: number } | null = null;
  /** What is drawn when no shot is animating: the settled table of the last shot, or the synced balls. */
  let settled: Ball[] = [];
  let dirty = true;
  let frame = 0;
  const send = (type: string, payload: object = {}) => room?.send(type, payload);

  const geometry = () => tableGeometry((state?.table ?? "9ft") as TableSize);
  const view = () => {
    const g = geometry();
    const margin = 40;
    const scale = Math.min(
      (canvas.width - 2 * margin) / (2 * g.half_length_m),
      (canvas.height - 2 * margin) / (2 * g.half_width_m),
    );
    return { g, scale, cx: canvas.width / 2, cy: canvas.height / 2 };
  };
  const toScreen = (x: number, y: number) => {
    const v = view();
    return { x: v.cx + x * v.scale, y: v.cy - y * v.scale };
  };
  const toWorld = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    const px = ((event.clientX - rect.left) / rect.width) * canvas.width;
    const py = ((event.clientY - rect.top) / rect.height) * canvas.height;
    const v = view();
    return { x: (px - v.cx) / v.scale, y: -(py - v.cy) / v.scale };
  };

  const mySeat = () => {
    if (!state?.seats) return -1;
    for (const [key, seat] of state.seats) if (seat.playerId === myId) return Number(key);
    return -1;
  };
  const myTurn = () =>
    !!state && state.phase === "playing" && state.shooter === mySeat() && !state.shotInProgress && !animation;
  const cueBall = (): { x: number; y: number } | null => {
    if (state?.ballInHand && myTurn()) return placedCue ?? defaultCueSpot();
    return settled.find((b) => b.id === 0) ?? null;
  };
  const defaultCueSpot = () => {
    const g = geometry();
    const existing = settled.find((b) => b.id === 0);
    if (existing && state?.ballInHand === "anywhere") return { x: existing.x, y: existing.y };
    return { x: g.head_string_x_m - 0.2, y: 0 };
  };
  const speed = () => 0.2 + (MAX_CUE_BALL_SPEED_M_S - 0.2) * (Number(power.value) / 100) ** 2;
  const spin = () => {
    let s = Number(side.value) / 100;
    let v = Number(vertical.value) / 100;
    const length = Math.hypot(s, v);
    const limit = MISCUE_OFFSET_LIMIT * 0.999;
    if (length > limit) {
      s = (s / length) * limit;
      v = (v / length) * limit;
    }
    return { side: s, vertical: v };
  };

  const shoot = () => {
    if (!state || !myTurn()) return;
    if (state.decisionReason) return;
    if (state.mustCallPocket && calledPocket === null) {
      app.notify("You are on the 8: click the pocket you call first.", "info");
      return;
    }
    const cue = state.ballInHand ? (placedCue ?? defaultCueSpot()) : null;
    send("shoot", {
      directionRad: aimRad,
      speed: speed(),
      ...spin(),
      calledPocket: state.mustCallPocket ? calledPocket : null,
      cueBall: cue,
    });
  };
  shootButton.addEventListener("click", shoot);

  const nearestPocket = (p: { x: number; y: number }) => {
    const g = geometry();
    for (let q = 0; q < 6; q++) {
      if (Math.hypot(g.pockets[q * 3]! - p.x, g.pockets[q * 3 + 1]! - p.y) < 0.12) return q;
    }
    return -1;
  };
  canvas.addEventListener("pointerdown", (event) => {
    if (!myTurn()) return;
    const p = toWorld(event);
    canvas.setPointerCapture(event.pointerId);
    const physicsPocket = nearestPocket(p);
    if (state?.mustCallPocket && physicsPocket >= 0) {
      // The rules number pockets from the head-left corner, the physics from the head-right: rules = 5 − physics.
      calledPocket = 5 - physicsPocket;
      dirty = true;
      return;
    }
    const cue = cueBall();
    if (state?.ballInHand && cue && Math.hypot(cue.x - p.x, cue.y - p.y) < 3 * R) {
      dragging = "cue";
    } else {
      dragging = "aim";
      if (cue) aimRad = Math.atan2(p.y - cue.y, p.x - cue.x);
    }
    dirty = true;
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!myTurn()) return;
    const p = toWorld(event);
    if (dragging === "cue") {
      const g = geometry();
      const maxX = state?.ballInHand === "behindHeadString" ? g.head_string_x_m - 1e-3 : g.half_length_m - R;
      placedCue = {
        x: Math.max(-g.half_length_m + R, Math.min(maxX, p.x)),
        y: Math.max(-g.half_width_m + R, Math.min(g.half_width_m - R, p.y)),
      };
    } else if (dragging === "aim" || event.pointerType === "mouse") {
      const cue = cueBall();
      if (cue) aimRad = Math.atan2(p.y - cue.y, p.x - cue.x);
    }
    dirty = true;
  });
  canvas.addEventListener("pointerup", () => {
    dragging = null;
  });
  canvas.addEventListener("keydown", (event) => {
    const step = event.shiftKey ? Math.PI / 1800 : Math.PI / 180;
    if (event.key === "ArrowLeft") aimRad += step;
    else if (event.key === "ArrowRight") aimRad -= step;
    else if (event.key === "ArrowUp") power.value = String(Math.min(100, Number(power.value) + 5));
    else if (event.key === "ArrowDown") power.value = String(Math.max(1, Number(power.value) - 5));
    else if (event.key === " " || event.key === "Enter") shoot();
    else return;
    event.preventDefault();
    dirty = true;
  });

  const drawBall = (ctx: CanvasRenderingContext2D, ball: Ball, radius: number) => {
    const p = toScreen(ball.x, ball.y);
    ctx.beginPath();
    ctx.arc(p.x, p.y, radius, 0, Math.PI * 2);
    ctx.fillStyle = ball.id > 8 ? "#f5f5f0" : colourOf(ball.id);
    ctx.fill();
    if (ball.id > 8) {
      ctx.save();
      ctx.clip();
      ctx.fillStyle = colourOf(ball.id);
      ctx.fillRect(p.x - radius, p.y - radius * 0.55, radius * 2, radius * 1.1);
      ctx.restore();
    }
    if (ball.id > 0) {
      ctx.beginPath();
      ctx.arc(p.x, p.y, radius * 0.45, 0, Math.PI * 2);
      ctx.fillStyle = "#fff";
      ctx.fill();
      ctx.fillStyle = "#000";
      ctx.font = `bold ${Math.round(radius * 0.7)}px sans-serif`;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(String(ball.id), p.x, p.y + 0.5);
    }
  };

  const draw = (balls: Ball[]) => {
    const ctx = canvas.getContext("2d")!;
    const v = view();
    const { g } = v;
    ctx.fillStyle = "#4a2a12";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const a = toScreen(-g.half_length_m, g.half_width_m);
    ctx.fillStyle = "#136b3a";
    ctx.fillRect(a.x, a.y, 2 * g.half_length_m * v.scale, 2 * g.half_width_m * v.scale);
    // Head string and foot spot.
    const hs = toScreen(g.head_string_x_m, 0);
    ctx.strokeStyle = "rgba(255,255,255,0.25)";
    ctx.beginPath();
    ctx.moveTo(hs.x, a.y);
    ctx.lineTo(hs.x, a.y + 2 * g.half_width_m * v.scale);
    ctx.stroke();
    for (let q = 0; q < 6; q++) {
      const p = toScreen(g.pockets[q * 3]!, g.pockets[q * 3 + 1]!);
      ctx.beginPath();
      ctx.arc(p.x, p.y, g.pockets[q * 3 + 2]! * v.scale, 0, Math.PI * 2);
      ctx.fillStyle = "#050505";
      ctx.fill();
      if (state?.mustCallPocket && myTurn()) {
        ctx.strokeStyle = calledPocket === 5 - q ? "#f2c14e" : "rgba(242,193,78,0.35)";
        ctx.lineWidth = calledPocket === 5 - q ? 4 : 2;
        ctx.stroke();
        ctx.lineWidth = 1;
      }
    }
    const radius = R * v.scale;
    for (const ball of balls) drawBall(ctx, ball, radius);
    if (myTurn() && !state?.decisionReason) {
      const cue = cueBall();
      if (cue) {
        if (state?.ballInHand) drawBall(ctx, { id: 0, ...cue }, radius);
        const from = toScreen(cue.x, cue.y);
        const length = 0.25 + speed() * 0.08;
        const to = toScreen(cue.x + Math.cos(aimRad) * length, cue.y + Math.sin(aimRad) * length);
        ctx.strokeStyle = "rgba(255,255,255,0.8)";
        ctx.setLineDash([6, 6]);
        ctx.beginPath();
        ctx.moveTo(from.x, from.y);
        ctx.lineTo(to.x, to.y);
        ctx.stroke();
        ctx.setLineDash([]);
        const back = toScreen(
          cue.x - Math.cos(aimRad) * (0.05 + speed() * 0.02),
          cue.y - Math.sin(aimRad) * (0.05 + speed() * 0.02),
        );
        const butt = toScreen(cue.x - Math.cos(aimRad) * 0.9, cue.y - Math.sin(aimRad) * 0.9);
        ctx.strokeStyle = "#d9b27c";
        ctx.lineWidth = 5;
        ctx.beginPath();
        ctx.moveTo(back.x, back.y);
        ctx.lineTo(butt.x, butt.y);
        ctx.stroke();
        ctx.lineWidth = 1;
      }
    }
  };

  const loop = () => {
    frame = requestAnimationFrame(loop);
    if (animation) {
      const t = (performance.now() - animation.startMs) / 1000;
      animation.frames += 1;
      if (t >= animation.message.totalTimeS) {
        // The last frame is the server's settled table, exactly.
        settled = animation.message.balls.map(([id, x, y]) => ({ id, x, y }));
        // How far the keyframes' own end lies from the settled table (the server nudges balls left in a jaw).
        let endGapM = 0;
        for (const ball of settled) {
          const end = animation.tracks.position(ball.id, animation.message.totalTimeS);
          if (end) endGapM = Math.max(endGapM, Math.hypot(end.x - ball.x, end.y - ball.y));
        }
        canvas.dataset.endGapM = String(endGapM);
        canvas.dataset.frames = String(animation.frames);
        canvas.dataset.durationS = String(animation.message.totalTimeS);
        canvas.dataset.animatedShot = String(animation.message.shotNumber);
        canvas.dataset.drawn = JSON.stringify(settled);
        animation = null;
        draw(settled);
        renderStatus();
        return;
      }
      const balls: Ball[] = [];
      for (const id of animation.tracks.balls()) {
        const p = animation.tracks.position(id, t);
        if (p) balls.push({ id, ...p });
      }
      draw(balls);
      return;
    }
    if (dirty) {
      dirty = false;
      draw(settled);
    }
  };
  frame = requestAnimationFrame(loop);

  const seatName = (seat: number) => state?.seats.get(String(seat))?.displayName ?? `seat ${seat}`;
  const renderStatus = () => {
    if (!state) return;
    const me = mySeat();
    const seats = [state.seats.get("0"), state.seats.get("1")];
    const practice = state.stakeMinor === "0";
    replaceChildren(
      banner,
      practice
        ? h("p", { class: "practice", id: "pl-practice" }, "Practice match: no stake, no money moves.")
        : h("p", {}, `Stake ${formatMinor(state.stakeMinor)} each; the winner takes the pot less the rake.`),
      h(
        "p",
        {},
        seats.map((seat, i) =>
          seat
            ? h(
                "span",
                { class: `who${state!.shooter === i ? " turn" : ""}` },
                `${seat.displayName}${seat.playerId === myId ? " (you)" : ""}${seat.group ? ` — ${seat.group}` : ""}${seat.connected ? "" : " — reconnecting…"}`,
                i === 0 ? "  vs  " : "",
              )
            : h("span", {}, "Waiting for an opponent…"),
        ),
      ),
      state.mode === "private" && !practice && state.phase === "waiting"
        ? h("p", {}, "Give your friend this code: ", h("span", { class: "code" }, state.code))
        : null,
    );
    const buttons: HTMLElement[] = [];
    if (state.phase === "waiting") status.textContent = "Waiting for an opponent…";
    else if (state.phase === "accepting") {
      status.textContent = practice ? "Ready?" : "Both players accept the stake";
      if (me >= 0 && !state.seats.get(String(me))?.accepted) {
        buttons.push(
          h(
            "button",
            { type: "button", id: "pl-accept", onClick: () => send("acceptStake") },
            practice ? "Start practice" : `Accept stake ${formatMinor(state.stakeMinor)}`,
          ),
        );
      }
    } else if (state.phase === "playing") {
      const turnWords = state.shooter === me ? "Your shot" : `${seatName(state.shooter)} to shoot`;
      const inHand = state.ballInHand
        ? state.ballInHand === "behindHeadString"
          ? " — ball in hand behind the head string: drag the cue ball"
          : " — ball in hand: drag the cue ball anywhere"
        : "";
      const onEight = state.mustCallPocket ? " — on the 8: click the pocket you call" : "";
      status.textContent =
        state.shotInProgress || animation
          ? "Balls rolling…"
          : `${turnWords}${state.shooter === me ? inHand + onEight : ""}`;
      if (state.shooter === me && state.decisionReason && !state.shotInProgress) {
        buttons.push(
          h(
            "button",
            { type: "button", onClick: () => send("decide", { kind: "acceptTable" }) },
            "Play the table as it lies",
          ),
        );
        buttons.push(
          h(
            "button",
            { type: "button", onClick: () => send("decide", { kind: "rerack", breaker: me }) },
            "Re-rack and break",
          ),
        );
      }
      if (me >= 0)
        buttons.push(h("button", { type: "button", class: "secondary", onClick: () => send("concede") }, "Concede"));
      if (state.shooter === me && (state.seats.get(String(me))?.extensionsLeft ?? 0) > 0 && state.deadline > 0) {
        buttons.push(
          h("button", { type: "button", class: "secondary", onClick: () => send("extension") }, "More time"),
        );
      }
    } else if (state.phase === "over") {
      const won = state.winnerSeat === me;
      status.textContent =
        state.winnerSeat < 0
          ? `Match over (${END_WORDS[state.endReason] ?? state.endReason}): stakes refunded.`
          : `${won ? "You win" : `${seatName(state.winnerSeat)} wins`} by ${END_WORDS[state.endReason] ?? state.endReason.replace(/([A-Z])/g, " $1").toLowerCase()}.`;
    }
    shootButton.disabled = !myTurn() || !!state.decisionReason;
    replaceChildren(controls, buttons);
  };
  const ticker = setInterval(() => {
    timer.textContent = state && state.deadline > 0 && !state.shotInProgress ? `${secondsLeft(state.deadline)} s` : "";
  }, 250);

  const join = async () => {
    const { client } = app.session;
    const code = params.get("code") ?? "";
    const handedOff = params.has("handoff") ? takeHandedOff() : undefined;
    if (params.has("handoff") && !handedOff)
      throw new Error("That match is no longer open here: go back to the tournament.");
    const joined = handedOff
      ? handedOff
      : params.has("room")
        ? await client.joinById(params.get("room")!, { code })
        : params.has("quick")
          ? await client.joinOrCreate("pool", { mode: "quick", stakeMinor: Number(params.get("stake")) })
          : params.has("challenge")
            ? await client.create("pool", { mode: "private", stakeMinor: Number(params.get("stake")) })
            : await client.join("pool", { mode: "private", code });
    if (left) {
      void joined.leave();
      return;
    }
    room = joined;
    root.dataset.roomId = joined.roomId;
    watchConnection(joined, {
      dropped: () => app.notify("Connection lost: reconnecting…", "info"),
      back: () => app.notify("Reconnected.", "info"),
      gone: (closeCode) => {
        if (!left && closeCode !== 1000 && closeCode !== 4000 && state?.phase !== "over") {
          app.notify("The match closed or the connection could not be recovered.");
        }
      },
    });
    joined.onMessage("error", (refusal: ServerRefusal) => app.notify(plainWords(refusal)));
    joined.onMessage("matchStarted", () => {});
    joined.onMessage("shot", (message: ShotMessage) => {
      animation = { tracks: new ShotTracks(message.keyframes), message, startMs: performance.now(), frames: 0 };
      placedCue = null;
      calledPocket = null;
      const fouls = message.outcome.fouls.map((f) => FOUL_WORDS[f] ?? f);
      const called =
        message.request.calledPocket !== null ? ` The 8 was called in pocket ${message.request.calledPocket}.` : "";
      lastShot.textContent = `${seatName(message.seat)}'s shot ${message.shotNumber}: ${
        fouls.length > 0
          ? `foul — ${fouls.join(", ")}; ball in hand for ${seatName(message.outcome.nextShooter)}.`
          : "legal."
      }${called}`;
      lastShot.className = fouls.length > 0 ? "bad" : "";
    });
    joined.onMessage("decision", (message: { balls: [number, number, number][] }) => {
      settled = message.balls.map(([id, x, y]) => ({ id, x, y }));
      dirty = true;
    });
    joined.onMessage("timeout", (message: { seat: number; balls: [number, number, number][] }) => {
      settled = message.balls.map(([id, x, y]) => ({ id, x, y }));
      lastShot.textContent = `${seatName(message.seat)} ran out of time: ball in hand for the opponent.`;
      dirty = true;
    });
    joined.onMessage("matchOver", () => {
      void app.refreshBalance();
    });
    joined.onStateChange((next: PoolState) => {
      state = next;
      if (!animation) {
        settled = [...next.balls].map((b) => ({ id: b.id, x: b.x, y: b.y }));
        if (!canvas.dataset.drawn) canvas.dataset.drawn = JSON.stringify(settled);
      }
      dirty = true;
      renderStatus();
    });
  };
  join().catch((error: unknown) => app.notify(describeFailure(error)));

  return () => {
    left = true;
    cancelAnimationFrame(frame);
    clearInterval(ticker);
    void room?.leave();
  };
};
