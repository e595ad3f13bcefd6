import type { ConnectorDeps } from "./connector-routes";
import {
  actionInvokeActivity,
  channelConversation,
  channelMessageActivity,
  messageActivity,
  personalInstallActivity,
  teamInstallActivity,
  teamsUser,
  type IncomingContext,
} from "./incoming";
import type { LocalIdentityProvider, SimulatedSignIn } from "./identity-provider";
import type { ChannelStore } from "./store";
import type { ActivityJson, ChannelInfo, InvokeResult, RecordedActivity } from "./types";
import { ADAPTIVE_CARD } from "./types";

/** What tests (and the chat page) do as users of the channel. */
export interface LocalChannelDriver {
  /** A user writes in their 1:1 chat (installing the app first if needed, as opening it in Teams does). */
  say(userId: string, text: string): Promise<InvokeResult>;
  /** A user posts in a team channel, @mentioning the bot. */
  sayInChannel(userId: string, channelId: string, text: string): Promise<InvokeResult>;
  /** Personal install: the bot receives a conversationUpdate with itself in membersAdded. */
  install(userId: string): Promise<InvokeResult>;
  /**
   * The person removes the app: from then on the channel answers the bot's messages and card
   * updates in their chat with 403, as Teams does, until they add it again (`install`, or `say`).
   */
  removeApp(userId: string): void;
  /** Team install; the General channel (id = team id) is added if `channels` lacks it. */
  installTeam(
    teamId: string,
    channels: ChannelInfo[],
    opts?: { name?: string; byUserId?: string },
  ): Promise<InvokeResult>;
  /** Clicks an Action.Execute (or asks for a `refresh` view with trigger "automatic"). */
  invoke(
    userId: string,
    activityId: string,
    verb: string,
    data?: unknown,
    trigger?: "manual" | "automatic",
    /** Added to the invoke's value, as Teams adds `authentication` or `state` after a sign-in. */
    extra?: Record<string, unknown>,
  ): Promise<InvokeResult>;
  /**
   * Answers a login request (the bot's 401 `loginRequest` to a card click) as Teams does after a
   * sign-in: the channel's identity provider signs a token for the user, with or without MFA, and
   * the same Action.Execute is sent again carrying it (`authentication.token`).
   */
  signIn(
    userId: string,
    activityId: string,
    verb: string,
    data: unknown,
    signIn: SimulatedSignIn,
  ): Promise<InvokeResult>;
  conversationOf(userId: string): string;
  /** Bot messages of a conversation, current version first-class, earlier versions in `history`. */
  activities(conversationId: string): RecordedActivity[];
  /** Bot posts in a channel, thread replies included (see `threadRootId`). */
  channelActivities(channelId: string): RecordedActivity[];
  /** Every message of a conversation, the users' included. */
  transcript(conversationId: string): RecordedActivity[];
  /** Resolves with the predicate's first truthy value; rejects after `timeoutMs`. */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  reset(): void;
}

interface DriverDeps {
  store: ChannelStore;
  deps: ConnectorDeps;
  serviceUrl(): string;
  botEndpoint(): string;
  conversationOf(userId: string): string;
  identity: LocalIdentityProvider;
}

export function createDriver(d: DriverDeps): LocalChannelDriver {
  const { store, deps } = d;
  const context = (id = store.nextId()): IncomingContext => ({
    serviceUrl: d.serviceUrl(),
    tenantId: deps.tenantId,
    now: deps.now(),
    id,
    locale: "en-US",
  });

  async function post(activity: ActivityJson): Promise<InvokeResult> {
    let response: Response;
    try {
      response = await fetch(d.botEndpoint(), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(activity),
      });
    } catch (e) {
      throw new Error(`The bot at ${d.botEndpoint()} did not answer: ${String(e)}`);
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body };
  }

  const driver: LocalChannelDriver = {
    async say(userId, text) {
      if (!store.isInstalled(userId)) await driver.install(userId);
      const conversationId = d.conversationOf(userId);
      const mine = store.record(
        conversationId,
        "user",
        { type: "message", text, timestamp: deps.now() },
        { userId },
      );
      return post(messageActivity(context(mine.id), userId, deps.persona(userId), text));
    },
    async sayInChannel(userId, channelId, text) {
      const where = store.channel(channelId);
      if (!where) throw new Error(`No channel ${channelId}: install the bot in its team first`);
      const mine = store.record(
        channelId,
        "user",
        { type: "message", text, timestamp: deps.now() },
        { userId },
      );
      return post(channelMessageActivity(context(mine.id), userId, deps.persona(userId), where, text));
    },
    async install(userId) {
      store.markInstalled(userId);
      store.emit({ type: "installed", userId });
      return post(personalInstallActivity(context(), userId, deps.persona(userId)));
    },
    removeApp(userId) {
      store.markRemoved(userId);
      store.emit({ type: "removed", userId });
    },
    async installTeam(teamId, channels, opts = {}) {
      const all = channels.some((c) => c.id === teamId)
        ? channels
        : [{ id: teamId, name: "General" }, ...channels];
      const team = { id: teamId, name: opts.name ?? teamId, channels: all };
      store.addTeam(team);
      const by = opts.byUserId ?? deps.personas()[0]?.id ?? "installer";
      return post(teamInstallActivity(context(), team, teamsUser(by, deps.persona(by))));
    },
    async invoke(userId, activityId, verb, data = {}, trigger = "manual", extra) {
      const card = store.get(activityId);
      if (!card) throw new Error(`No activity ${activityId} to act on`);
      const ctx = context();
      const found = store.channel(card.conversationId);
      let where;
      if (found) {
        const threadId = `${card.conversationId};messageid=${card.threadRootId ?? card.id}`;
        where = channelConversation(ctx, threadId, found.team, found.channel);
      } else {
        if (card.conversationId !== d.conversationOf(userId)) {
          throw new Error(`${userId} cannot act on a card in ${card.conversationId}`);
        }
        where = {
          conversation: { id: card.conversationId, conversationType: "personal", tenantId: deps.tenantId },
          channelData: { tenant: { id: deps.tenantId } },
        };
      }
      const from = teamsUser(userId, deps.persona(userId));
      const result = await post(
        actionInvokeActivity(ctx, from, where, { verb, data, trigger, replyToId: activityId, extra }),
      );
      const body = result.body as { type?: string; value?: unknown } | undefined;
      // A card in the answer replaces what this user sees of the original card.
      if (body?.type === ADAPTIVE_CARD && body.value && typeof body.value === "object") {
        store.setView(activityId, userId, body.value as Record<string, unknown>);
      }
      return result;
    },
    async signIn(userId, activityId, verb, data, signIn) {
      const token = d.identity.issue(userId, signIn);
      return driver.invoke(userId, activityId, verb, data, "manual", { authentication: { token } });
    },
    conversationOf: d.conversationOf,
    activities: (conversationId) => store.list(conversationId).filter((a) => a.from === "bot"),
    channelActivities: (channelId) => store.list(channelId).filter((a) => a.from === "bot"),
    transcript: (conversationId) => store.list(conversationId),
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const value = predicate();
          if (!value) return false;
          finish();
          resolve(value);
          return true;
        };
        const off = store.onEvent(() => void check());
        const poll = setInterval(check, 25);
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`waitFor timed out after ${timeoutMs} ms; last messages:\n${store.summary()}`));
        }, timeoutMs);
        const finish = () => {
          off();
          clearInterval(poll);
          clearTimeout(timer);
        };
        check();
      });
    },
    reset: () => store.reset(),
  };
  return driver;
}
