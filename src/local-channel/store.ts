import { personalConversationId, personalUserOf, splitThread } from "./conversation-ids";
import type { ActivityJson, ChannelInfo, ConversationInfo, RecordedActivity, TeamInfo } from "./types";

export type ChannelEvent =
  | {
      type: "activity";
      kind: "created" | "updated" | "deleted" | "view";
      conversationId: string;
      activityId: string;
      userId?: string;
    }
  | { type: "installed"; userId: string }
  | { type: "removed"; userId: string }
  | { type: "team"; teamId: string }
  | { type: "clock"; now: string }
  | { type: "reset" };

/** Everything the local channel remembers, in memory: conversations, messages, their updates and views. */
export class ChannelStore {
  private seq = 0;
  private lastId = 0;
  private readonly byId = new Map<string, RecordedActivity>();
  private readonly personal = new Set<string>();
  private readonly installed = new Set<string>();
  /** People who removed the app: the Bot Connector refuses the bot's messages to them (403). */
  private readonly removed = new Set<string>();
  private readonly teamsById = new Map<string, TeamInfo>();
  private readonly readMarks = new Map<string, number>();
  private readonly listeners = new Set<(e: ChannelEvent) => void>();

  onEvent(listener: (e: ChannelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ChannelEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Teams message ids are epoch milliseconds; keep them unique and increasing. */
  nextId(): string {
    this.lastId = Math.max(Date.now(), this.lastId + 1);
    return String(this.lastId);
  }

  reset(): void {
    this.byId.clear();
    this.personal.clear();
    this.installed.clear();
    this.removed.clear();
    this.teamsById.clear();
    this.readMarks.clear();
    this.emit({ type: "reset" });
  }

  markInstalled(userId: string): void {
    this.installed.add(userId);
    this.removed.delete(userId);
    this.personal.add(userId);
  }

  /** The person removed the app: their chat stays, and the bot can no longer write in it. */
  markRemoved(userId: string): void {
    this.installed.delete(userId);
    this.removed.add(userId);
  }

  hasRemoved(userId: string): boolean {
    return this.removed.has(userId);
  }

  isInstalled(userId: string): boolean {
    return this.installed.has(userId);
  }

  openPersonal(userId: string): string {
    this.personal.add(userId);
    return personalConversationId(userId);
  }

  addTeam(team: TeamInfo): void {
    this.teamsById.set(team.id, team);
    this.emit({ type: "team", teamId: team.id });
  }

  teams(): TeamInfo[] {
    return [...this.teamsById.values()];
  }

  team(teamId: string): TeamInfo | undefined {
    return this.teamsById.get(teamId);
  }

  channel(channelId: string): { team: TeamInfo; channel: ChannelInfo } | undefined {
    for (const team of this.teamsById.values()) {
      const channel = team.channels.find((c) => c.id === channelId);
      if (channel) return { team, channel };
    }
    return undefined;
  }

  /** Resolves a conversation id the bot uses; undefined when no such conversation exists. */
  resolve(conversationId: string): ConversationInfo | undefined {
    const { base } = splitThread(conversationId);
    const userId = personalUserOf(base);
    if (userId !== undefined) {
      return this.personal.has(userId) ? { id: conversationId, kind: "personal", userId } : undefined;
    }
    const found = this.channel(base);
    if (!found) return undefined;
    return { id: conversationId, kind: "channel", teamId: found.team.id, channelId: found.channel.id };
  }

  record(
    conversationId: string,
    from: "bot" | "user",
    activity: ActivityJson,
    extra: { userId?: string; replyToId?: string } = {},
  ): RecordedActivity {
    const { base, threadRootId } = splitThread(conversationId);
    const id = this.nextId();
    // A reply in a channel to a root post lands in that post's thread, as in Teams.
    const root =
      threadRootId ?? (this.channel(base) && extra.replyToId ? this.rootOf(extra.replyToId) : undefined);
    const recorded: RecordedActivity = {
      id,
      conversationId: base,
      from,
      activity: { ...activity, id },
      history: [],
      version: 1,
      deleted: false,
      seq: ++this.seq,
      views: {},
    };
    if (root !== undefined) recorded.threadRootId = root;
    if (extra.userId !== undefined) recorded.userId = extra.userId;
    if (extra.replyToId !== undefined) recorded.replyToId = extra.replyToId;
    this.byId.set(id, recorded);
    this.emit({ type: "activity", kind: "created", conversationId: base, activityId: id });
    return recorded;
  }

  private rootOf(activityId: string): string | undefined {
    const target = this.byId.get(activityId);
    if (!target) return undefined;
    return target.threadRootId ?? target.id;
  }

  get(activityId: string): RecordedActivity | undefined {
    return this.byId.get(activityId);
  }

  update(activityId: string, activity: ActivityJson): RecordedActivity | undefined {
    const target = this.byId.get(activityId);
    if (!target || target.deleted) return undefined;
    target.history.push(target.activity);
    target.activity = { ...activity, id: activityId };
    target.version += 1;
    this.emit({ type: "activity", kind: "updated", conversationId: target.conversationId, activityId });
    return target;
  }

  remove(activityId: string): boolean {
    const target = this.byId.get(activityId);
    if (!target || target.deleted) return false;
    target.deleted = true;
    this.emit({ type: "activity", kind: "deleted", conversationId: target.conversationId, activityId });
    return true;
  }

  /** Stores what one user now sees of a card, against the card's current version. */
  setView(activityId: string, userId: string, card: Record<string, unknown>): void {
    const target = this.byId.get(activityId);
    if (!target) return;
    target.views[userId] = { card, version: target.version };
    this.emit({ type: "activity", kind: "view", conversationId: target.conversationId, activityId, userId });
  }

  /** Messages of a conversation (a channel includes its threads), in arrival order. */
  list(conversationId: string): RecordedActivity[] {
    const { base } = splitThread(conversationId);
    return [...this.byId.values()].filter((a) => a.conversationId === base).sort((a, b) => a.seq - b.seq);
  }

  markRead(conversationId: string): void {
    this.readMarks.set(splitThread(conversationId).base, this.seq);
  }

  unread(conversationId: string): number {
    const mark = this.readMarks.get(conversationId) ?? 0;
    return this.list(conversationId).filter((a) => a.from === "bot" && !a.deleted && a.seq > mark).length;
  }

  /** Used by the test driver's failure messages. */
  summary(): string {
    return [...this.byId.values()]
      .slice(-10)
      .map((a) => `${a.conversationId} ${a.from} ${a.id}: ${String(a.activity.text ?? a.activity.type)}`)
      .join("\n");
  }
}
