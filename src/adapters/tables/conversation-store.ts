import { odata, type TableClient } from "@azure/data-tables";
import type { UserId } from "../../domain/model";
import type { ConversationReferenceJson, ConversationStore, TeamChannel } from "../../ports/conversations";
import type { SentCard } from "../../ports/notifier";
import { PartitionWriter } from "./batches";
import { tolerating } from "./errors";
import { jsonColumns, readJsonColumns } from "./json-columns";
import { encodeKey, key } from "./keys";

const REFERENCE = "reference";
/** How long the row of a card sent beside others waits for theirs (their calls end milliseconds apart). */
const SENT_BESIDE_LINGER_MS = 20;
type Team = { reference: ConversationReferenceJson; channels: TeamChannel[] };

/**
 * Conversations table: `user|<id>` and `team|<id>` rows hold conversation references; sent cards
 * live under `card|<subject>` keyed `<conversation>|<activity>`, so re-rendering reads one partition.
 */
export class TableConversationStore implements ConversationStore {
  /** Sent-card rows: the copies of one card sent side by side (a stage's approvers) share a transaction. */
  private readonly cards: PartitionWriter;

  constructor(private readonly client: TableClient) {
    this.cards = new PartitionWriter(client);
  }

  private async put(partitionKey: string, rowKey: string, what: string, value: unknown): Promise<void> {
    await this.client.upsertEntity({ partitionKey, rowKey, ...jsonColumns(what, value) }, "Replace");
  }

  private async read<T>(partitionKey: string, rowKey: string): Promise<T | undefined> {
    const row = await tolerating([404], () =>
      this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey),
    );
    return row && readJsonColumns<T>(row);
  }

  saveUserReference(userId: UserId, reference: ConversationReferenceJson): Promise<void> {
    return this.put(key("user", userId), REFERENCE, "conversation reference", reference);
  }

  getUserReference(userId: UserId): Promise<ConversationReferenceJson | undefined> {
    return this.read(key("user", userId), REFERENCE);
  }

  saveTeam(teamId: string, reference: ConversationReferenceJson, channels: TeamChannel[]): Promise<void> {
    return this.put(key("team", teamId), REFERENCE, "team", { reference, channels });
  }

  getTeam(teamId: string): Promise<Team | undefined> {
    return this.read<Team>(key("team", teamId), REFERENCE);
  }

  rememberCard(card: SentCard, options?: { besideOthers?: boolean }): Promise<void> {
    const rowKey = `${encodeKey(card.conversationId)}|${encodeKey(card.activityId)}`;
    const entity = { partitionKey: key("card", card.subject), rowKey, ...jsonColumns("sent card", card) };
    return this.cards.upsert(entity, "Replace", options?.besideOthers ? SENT_BESIDE_LINGER_MS : undefined);
  }

  async listCards(subject: string): Promise<SentCard[]> {
    const cards: SentCard[] = [];
    const query = this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${key("card", subject)}` },
    });
    for await (const row of query) cards.push(readJsonColumns<SentCard>(row));
    return cards;
  }
}
