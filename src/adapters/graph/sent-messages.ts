import type { Instant, UserId } from "../../domain/model";
import type { FoundMessage, SentMessageFinder, SentMessagePlace } from "../../ports/sent-messages";
import { type ChatMessageJson, messageWithKey } from "../shared/delivery-key";
import { odataString, seg, withQuery } from "./odata";
import { GraphCallError, type GraphTransport, relativeToVersionRoot } from "./transport";

/** Pages read at most per look-up (20 messages each). */
const MAX_PAGES = 5;
/** Messages a little older than the batch are still read: clocks of two machines differ. */
const SKEW_MS = 5 * 60_000;

/**
 * Looks in Teams, through Graph, for a message Access Desk posted (by the delivery key its card
 * carries), for a batch run again after a crash. A person's 1:1 chat with the app is found through
 * the app's installation (`GET /users/{id}/teamwork/installedApps?$filter=teamsApp/id eq '…'`, then
 * `…/{installationId}/chat`), remembered per process; its messages are read newest first
 * (`GET /chats/{id}/messages?$top=20&$orderby=createdDateTime desc`, permission
 * Chat.Read.WhereInstalled). Channel posts: `GET /teams/{id}/channels/{id}/messages`
 * (ChannelMessage.Read.All, or the ChannelMessage.Read.Group resource-specific consent). A chat
 * message's id is the Bot Framework activity id. A refused read (403: permission not granted)
 * throws, and the caller posts.
 */
export class GraphSentMessages implements SentMessageFinder {
  private readonly chats = new Map<UserId, string>();

  constructor(
    private readonly transport: GraphTransport,
    /** The app's id in the tenant app catalog (TEAMS_APP_CATALOG_ID). */
    private readonly catalogAppId: string,
  ) {}

  async find(
    place: SentMessagePlace,
    deliveryKey: string,
    since: Instant,
  ): Promise<FoundMessage | undefined> {
    let url: string;
    if ("userId" in place) {
      const chatId = await this.chatOf(place.userId);
      // Not installed for the person: nothing could have reached them.
      if (!chatId) return undefined;
      url = withQuery(`/chats/${seg(chatId)}/messages`, { $top: 20, $orderby: "createdDateTime desc" });
    } else {
      const { teamId, channelId } = place.channel;
      url = withQuery(`/teams/${seg(teamId)}/channels/${seg(channelId)}/messages`, { $top: 20 });
    }
    const oldest = Date.parse(since) - SKEW_MS;
    for (let page = 0; page < MAX_PAGES && url; page += 1) {
      const body = await this.get(url);
      const messages = (body as { value?: ChatMessageJson[] }).value ?? [];
      const id = messageWithKey(messages, deliveryKey);
      if (id) return { activityId: id };
      const next = (body as { "@odata.nextLink"?: string })["@odata.nextLink"];
      const reachedOlder = messages.some((m) => Date.parse(m.createdDateTime ?? "") < oldest);
      if (!next || reachedOlder) return undefined;
      url = relativeToVersionRoot(next);
    }
    return undefined;
  }

  private async chatOf(userId: UserId): Promise<string | undefined> {
    const known = this.chats.get(userId);
    if (known) return known;
    const apps = `/users/${seg(userId)}/teamwork/installedApps`;
    const found = await this.get(
      withQuery(apps, { $expand: "teamsApp", $filter: `teamsApp/id eq ${odataString(this.catalogAppId)}` }),
    );
    const installation = (found as { value?: { id?: string }[] }).value?.[0]?.id;
    if (!installation) return undefined;
    const chat = (await this.get(`${apps}/${seg(installation)}/chat`)) as { id?: string };
    if (chat.id) this.chats.set(userId, chat.id);
    return chat.id;
  }

  private async get(url: string): Promise<unknown> {
    const answer = await this.transport.call({ method: "GET", url });
    if (answer.status !== 200) throw new GraphCallError(url, answer);
    return answer.body ?? {};
  }
}
