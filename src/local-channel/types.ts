/** A person the local channel can act as; `id` is the user's aadObjectId. */
export interface Persona {
  id: string;
  displayName: string;
  role: string;
}

/** What the composition root plugs in: the local directory and the test clock. */
export interface LocalChannelHooks {
  userGroups?(userId: string): Promise<{ id: string; displayName: string }[]>;
  /** The current time (ISO) used for activity timestamps and shown on the page. */
  now?(): string;
  /** Moves the test clock forward and returns the new time (ISO). */
  advanceClock?(hours: number): Promise<string>;
}

/** A Bot Framework activity as plain JSON (what goes over the wire). */
export type ActivityJson = Record<string, unknown> & { type?: string; id?: string };

export interface ChannelInfo {
  id: string;
  name: string;
}

export interface TeamInfo {
  id: string;
  name: string;
  channels: ChannelInfo[];
}

export type ConversationKind = "personal" | "channel";

export interface ConversationInfo {
  /** The conversation id as Teams gives it (a thread id carries `;messageid=<root>`). */
  id: string;
  kind: ConversationKind;
  /** For personal conversations: the user (aadObjectId). */
  userId?: string;
  teamId?: string;
  channelId?: string;
}

/** One message in a conversation, from the bot (with its update history) or from a user. */
export interface RecordedActivity {
  id: string;
  conversationId: string;
  /** For channel posts: the root post of the thread this one replies in. */
  threadRootId?: string;
  from: "bot" | "user";
  /** The user who wrote it, for user messages. */
  userId?: string;
  /** The current version. */
  activity: ActivityJson;
  /** Earlier versions, oldest first (one per update). */
  history: ActivityJson[];
  version: number;
  deleted: boolean;
  replyToId?: string;
  /** Order of arrival across the whole channel. */
  seq: number;
  /** Per-user views of the card (an invoke response card, or a `refresh` answer). */
  views: Record<string, { card: Record<string, unknown>; version: number }>;
}

/** The HTTP answer of the bot to an invoke. */
export interface InvokeResult {
  status: number;
  body: unknown;
}

export interface LocalChannelOptions {
  /** Where the bot listens, e.g. http://127.0.0.1:3978/api/messages. Settable later. */
  botEndpoint: string;
  tenantId?: string;
  personas?: Persona[];
  hooks?: LocalChannelHooks;
  /** Prefix of the connector routes, the page's API and assets. Default `/local-channel`. */
  basePath?: string;
  /** Where the chat page is served. Default `/chat`. */
  pagePath?: string;
}

export const BOT_ID = "28:access-desk";
export const BOT_NAME = "Access Desk";
export const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
