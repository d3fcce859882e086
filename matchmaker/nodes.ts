import { matchMaker, type Presence, subscribeIPC } from "@colyseus/core";

/** What each node tells the cluster about itself, refreshed every ANNOUNCE_EVERY_MS through presence. */
export interface NodeAnnouncement {
  processId: string;
  region: string;
  /** host:port clients use to reach this node (Colyseus' publicAddress); empty on a single node. */
  publicAddress: string;
  rooms: number;
  clients: number;
  physicsQueued: number;
  maxRooms: number;
  /** Shutting down: takes no new rooms. */
  draining: boolean;
  announcedAtMs: number;
}

export const ANNOUNCE_EVERY_MS = 1_000;
/** An announcement older than this is a node that stopped (or cannot reach Redis): it gets no rooms. */
export const ANNOUNCEMENT_STALE_MS = 3_500;

export function nodesKey(prefix: string): string {
  return `${prefix}nodes`;
}

export function createChannel(prefix: string, processId: string): string {
  return `${prefix}create:${processId}`;
}

export async function liveNodes(presence: Presence, prefix: string, nowMs = Date.now()): Promise<NodeAnnouncement[]> {
  const raw = await presence.hgetall(nodesKey(prefix));
  const nodes: NodeAnnouncement[] = [];
  for (const value of Object.values(raw ?? {})) {
    try {
      const node = JSON.parse(value) as NodeAnnouncement;
      if (nowMs - node.announcedAtMs <= ANNOUNCEMENT_STALE_MS) nodes.push(node);
    } catch {
      // a malformed entry is no node
    }
  }
  return nodes;
}

export interface NodeAnnouncerOptions {
  presence: Presence;
  prefix: string;
  region: string;
  publicAddress: string;
  maxRooms: number;
  physicsQueued: () => number;
  draining: () => boolean;
}

/**
 * Announces this node and answers the cluster's requests to create a room here. The capacity check happens on the
 * node itself, at creation, so placements racing from several nodes cannot overfill it.
 */
export class NodeAnnouncer {
  readonly #options: NodeAnnouncerOptions;
  #timer: NodeJS.Timeout | undefined;
  /** Rooms being created here: Colyseus counts a room only once its onCreate has finished. */
  #creating = 0;

  constructor(options: NodeAnnouncerOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const { presence, prefix } = this.#options;
    await subscribeIPC(presence, createChannel(prefix, matchMaker.processId), (_method, args) => {
      const [roomName, roomOptions] = args as [string, Record<string, unknown>];
      return this.createHere(roomName, roomOptions);
    });
    await this.announce();
    this.#timer = setInterval(() => void this.announce().catch(() => {}), ANNOUNCE_EVERY_MS);
    this.#timer.unref();
  }

  /** Creates the room on this node unless it is full or draining. */
  async createHere(roomName: string, roomOptions: Record<string, unknown>) {
    if (this.#options.draining()) throw new Error("NODE_DRAINING: this node is shutting down");
    if (matchMaker.stats.local.roomCount + this.#creating >= this.#options.maxRooms) {
      throw new Error("NODE_FULL: this node is full");
    }
    this.#creating++;
    try {
      return await matchMaker.handleCreateRoom(roomName, roomOptions);
    } finally {
      this.#creating--;
      void this.announce().catch(() => {});
    }
  }

  announcement(): NodeAnnouncement {
    return {
      processId: matchMaker.processId,
      region: this.#options.region,
      publicAddress: this.#options.publicAddress,
      rooms: matchMaker.stats.local.roomCount + this.#creating,
      clients: matchMaker.stats.local.ccu,
      physicsQueued: this.#options.physicsQueued(),
      maxRooms: this.#options.maxRooms,
      draining: this.#options.draining(),
      announcedAtMs: Date.now(),
    };
  }

  async announce(): Promise<void> {
    const node = this.announcement();
    await this.#options.presence.hset(nodesKey(this.#options.prefix), node.processId, JSON.stringify(node));
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    const { presence, prefix } = this.#options;
    presence.unsubscribe(createChannel(prefix, matchMaker.processId));
    await presence.hdel(nodesKey(prefix), matchMaker.processId).catch(() => {});
  }
}
