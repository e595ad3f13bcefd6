import { AsyncLocalStorage } from "node:async_hooks";
import { type RateLimit } from "./rate-limit";
import { type Slot, SlotWindow, settle } from "./slot-window";
import { SupersededNotice } from "../../ports/notifier";

export type { RateLimit };

/**
 * Teams throttles a bot per conversation (7 messages per second, 8 per 2 s, 60 per 30 s) and per
 * app across the tenant (about 50 requests per second). Sends to one conversation go through a
 * queue kept under the conversation's limits, every send also takes a slot of the app-wide limit,
 * and a 429 waits for its Retry-After before trying again.
 */
export interface PacingOptions {
  /** Limits per conversation, kept a little under Teams' own. */
  conversationLimits: RateLimit[];
  /** Limits for all sends of this process together. */
  appLimits: RateLimit[];
  /** Attempts after a 429 or 503 (botbuilder's own retries come on top). */
  retries: number;
  /** Longest wait honoured for one Retry-After. */
  maxRetryAfterMs: number;
  /**
   * Longest a Bot Connector call may take before its conversation's queue moves on (the call is
   * reported failed, and the notification that made it is tried again later).
   */
  callTimeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** The app-wide rate the pacer keeps by default: a little under Teams' 50 requests a second. */
export const PACER_APP_LIMIT: RateLimit = { count: 48, windowMs: 1000 };

const DEFAULTS: PacingOptions = {
  conversationLimits: [
    { count: 6, windowMs: 1000 },
    { count: 8, windowMs: 2000 },
    { count: 58, windowMs: 30_000 },
  ],
  appLimits: [PACER_APP_LIMIT],
  retries: 3,
  maxRetryAfterMs: 30_000,
  callTimeoutMs: 15_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

/** The wait a throttled call asks for: Retry-After seconds, else a backoff with jitter. */
export function retryDelayMs(error: unknown, attempt: number, maxMs: number): number | undefined {
  const e = error as {
    statusCode?: number;
    response?: { headers?: { get?(n: string): string | undefined } };
  };
  if (e?.statusCode !== 429 && e?.statusCode !== 503) return undefined;
  const header = e.response?.headers?.get?.("retry-after");
  const seconds = header !== undefined ? Number(header) : NaN;
  const base = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 500 * 2 ** attempt;
  return Math.min(maxMs, base + Math.floor(Math.random() * 100));
}

/** A Bot Connector call that took too long: the conversation's queue gives up waiting for it. */
export class CallTimeoutError extends Error {
  constructor(conversationId: string, ms: number) {
    super(`The Bot Connector did not answer within ${ms} ms (conversation ${conversationId})`);
    this.name = "CallTimeoutError";
  }
}

/**
 * Races the call against a timer. botbuilder's proactive calls take no abort signal, so the socket
 * may stay open; what matters is that this conversation's queue, and nobody else's, moves on.
 */
function withTimeout<T>(call: Promise<T>, ms: number, conversationId: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(conversationId, ms)), ms);
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A message someone reads (a send, a turn's reply), a notice of progress nobody waits on (a stage
 * approved, a channel post), or a card update: when the rate binds, the app's slots go in that order.
 */
export type CallKind = "message" | "progress" | "update";

/**
 * How a call waits: its kind, and for a call that can turn moot while it waits (a progress notice
 * that an outcome in its chat overtook) whether it is still wanted, asked before it takes a slot.
 */
export interface PacedCall {
  kind: CallKind;
  wanted?: () => boolean;
}
const RANK: Record<CallKind, number> = { message: 0, progress: 1, update: 2 };

export class ConversationPacer {
  private readonly options: PacingOptions;
  private readonly windows = new Map<string, SlotWindow>();
  private readonly app: SlotWindow;
  /** Each conversation's messages in order, and its card updates in order: two queues a chat. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Set while a paced call runs: the calls it makes inside (botbuilder middleware) hold its slots. */
  private readonly inside = new AsyncLocalStorage<string>();
  /** Resolves when any call settles or takes its slots: the windows, or who waits first, changed. */
  private changed = signal();
  /** Calls waiting for their slots, in order of arrival (see `first`). */
  private readonly appWaiters = new Set<AppWaiter>();
  private nextSeq = 0;
  /** Messages queued in each conversation, not yet at its head: a progress notice ahead of one is not. */
  private readonly messagesQueued = new Map<string, number>();

  constructor(options: Partial<PacingOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.app = new SlotWindow(this.options.appLimits);
  }

  /**
   * Runs `send` in the conversation's turn, after the rate allows `calls` more calls, retrying
   * throttled attempts. A call made from inside a paced `send` (the middleware that paces turn
   * replies sees the notifier's proactive sends too) runs at once: its slots are already taken.
   * A call no longer `wanted` when its turn comes ends with `SupersededNotice`, having taken none.
   */
  run<T>(
    conversationId: string,
    send: () => Promise<T>,
    calls = 1,
    kind: CallKind = "message",
    wanted?: () => boolean,
  ): Promise<T> {
    if (this.inside.getStore() !== undefined) return send();
    // Messages (progress notices among them) keep their order in a conversation, and so do updates;
    // a message never waits for its chat's card updates (an update redraws a card already there).
    const queue = `${kind === "update" ? "update" : "message"}\n${conversationId}`;
    const previous = this.queues.get(queue) ?? Promise.resolve();
    if (kind === "message") this.countMessage(conversationId, 1);
    const start = () => {
      if (kind === "message") this.countMessage(conversationId, -1);
      return this.paced(conversationId, send, calls, { kind, ...(wanted ? { wanted } : {}) });
    };
    const next = previous.then(start, start);
    const tail = next.catch(() => undefined);
    this.queues.set(queue, tail);
    void tail.then(() => {
      if (this.queues.get(queue) === tail) this.queues.delete(queue);
    });
    return next;
  }

  private countMessage(conversationId: string, by: number): void {
    const queued = (this.messagesQueued.get(conversationId) ?? 0) + by;
    if (queued > 0) this.messagesQueued.set(conversationId, queued);
    else this.messagesQueued.delete(conversationId);
  }

  private async paced<T>(
    conversationId: string,
    send: () => Promise<T>,
    calls: number,
    call: PacedCall,
  ): Promise<T> {
    const { retries, maxRetryAfterMs, sleep, now } = this.options;
    for (let attempt = 0; ; attempt++) {
      const slots: Slot[] = [];
      try {
        for (let i = 0; i < calls; i++) {
          // A call's own earlier slots count from when they were taken, so they never hold up its
          // later ones (a turn sending more activities than a window allows would wait forever).
          for (const slot of slots) slot.open = false;
          slots.push(...(await this.takeSlot(conversationId, call)));
        }
      } catch (moot) {
        this.settle(slots, now());
        throw moot;
      }
      try {
        const running = this.inside.run(conversationId, send);
        return await withTimeout(running, this.options.callTimeoutMs, conversationId).finally(() =>
          this.settle(slots, now()),
        );
      } catch (error) {
        const delay = attempt < retries ? retryDelayMs(error, attempt, maxRetryAfterMs) : undefined;
        if (delay === undefined) throw error;
        await sleep(delay);
      }
    }
  }

  private settle(slots: Slot[], at: number): void {
    for (const slot of slots) settle(slot, at);
    this.signalChange();
  }

  /** Something a waiting call's `wanted` reads changed: waiting calls look again. */
  recheck(): void {
    this.signalChange();
  }

  private signalChange(): void {
    this.changed.resolve();
    this.changed = signal();
  }

  /**
   * Waits until both the conversation's and the app's windows have room, then takes a slot in each.
   * Calls whose conversation has room take the app's slots in the order they came, messages someone
   * reads before notices of progress, and those before card updates: when the app's rate (or the
   * chat's) is what binds (a burst), a progress notice is read when it comes, and an update only
   * redraws what a card says, a newer one replacing it while it waits (WaitingUpdates).
   */
  private async takeSlot(conversationId: string, { kind, wanted }: PacedCall): Promise<Slot[]> {
    const { conversationLimits, sleep, now } = this.options;
    let mine = this.windows.get(conversationId);
    if (!mine) this.windows.set(conversationId, (mine = new SlotWindow(conversationLimits)));
    const me: AppWaiter = { seq: this.nextSeq++, rank: RANK[kind], ready: false };
    this.appWaiters.add(me);
    try {
      for (;;) {
        if (wanted && !wanted()) throw new SupersededNotice(conversationId);
        const own = mine.wait(now());
        const app = this.app.wait(now());
        me.ready = own <= 0;
        // A progress notice holding up a message in its own chat (one queue keeps their order) goes as one.
        me.rank = kind === "progress" && this.messagesQueued.has(conversationId) ? RANK.message : RANK[kind];
        if (own <= 0 && app <= 0 && this.first() === me) break;
        // A conversation's own window frees on its own clock; the app's (open calls in it) and who
        // goes first change with every call.
        if (own > 0) await Promise.race([sleep(own), ...(wanted ? [this.changed.promise] : [])]);
        else await Promise.race([sleep(Math.max(app, 1)), this.changed.promise]);
      }
    } finally {
      this.appWaiters.delete(me);
    }
    const taken = [mine.take(now()), this.app.take(now())];
    this.signalChange();
    return taken;
  }

  /** The waiter whose turn it is at the app's window: by rank (CallKind), each in order of arrival. */
  private first(): AppWaiter | undefined {
    let best: AppWaiter | undefined;
    for (const w of this.appWaiters) {
      if (!w.ready) continue;
      if (!best || w.rank < best.rank || (w.rank === best.rank && w.seq < best.seq)) best = w;
    }
    return best;
  }
}

/** A call waiting for its slots: `ready` once its conversation's window has room. */
interface AppWaiter {
  seq: number;
  rank: number;
  ready: boolean;
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
