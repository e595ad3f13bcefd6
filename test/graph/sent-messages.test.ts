import assert from "node:assert/strict";
import { GraphSentMessages } from "../../src/adapters/graph/sent-messages";
import { silentLogger } from "../../src/adapters/runtime/logger";
import { createMemoryStores } from "../../src/adapters/memory";
import { stampDeliveryKey } from "../../src/adapters/shared/delivery-key";
import { lookBeforeResend } from "../../src/app/notify/look-before-resend";
import { instantSleep, startGraph, type GraphHarness } from "./support/fixture";
import type { TenantChatMessage } from "./support/tenant";

const CATALOG_ID = "5f2a7c1e-0000-4000-8000-00000000a11d";
const CHAT = `19:mark_bot@unq.gbl.spaces`;
const KEY = "eff_1/0|user|mark";
const SINCE = "2026-03-02T09:00:00.000Z";

/** A bot message as Teams keeps it: the card JSON, as sent, in the attachment's content. */
function posted(id: string, at: string, key?: string): TenantChatMessage {
  const card = {
    type: "AdaptiveCard",
    version: "1.5",
    body: [{ type: "TextBlock", text: "Approval needed" }],
  };
  return {
    id,
    createdDateTime: at,
    messageType: "message",
    from: { application: { id: "bot", displayName: "Access Desk" } },
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        content: JSON.stringify(key ? stampDeliveryKey(card, key) : card),
      },
    ],
  };
}

const minute = (n: number) => new Date(Date.parse(SINCE) + n * 60_000).toISOString();

describe("a batch run again finds in Teams, through Graph, the message it may have posted", () => {
  let graph: GraphHarness;
  let finder: GraphSentMessages;
  const calls = () => graph.server.log.map((c) => `${c.method} ${c.url.split("?")[0]} ${c.status}`);

  beforeEach(async () => {
    graph = await startGraph();
    const t = graph.server.tenant;
    t.addUser({ id: "mark", displayName: "Mark" });
    t.installedApps.set("mark", new Map([[`inst-mark-${CATALOG_ID}`, CATALOG_ID]]));
    finder = new GraphSentMessages(graph.transport({ runtime: instantSleep().runtime }), CATALOG_ID);
  });
  afterEach(() => graph.stop());

  it("finds the message carrying the key in the person's 1:1 chat with the app, and remembers the chat", async () => {
    graph.server.tenant.chatMessages.set(CHAT, [
      posted("1001", minute(-30), "eff_0/0|user|mark"),
      posted("1002", minute(1), KEY),
      posted("1003", minute(2), "eff_1/0|user|mark2"),
    ]);
    assert.deepEqual(await finder.find({ userId: "mark" }, KEY, SINCE), { activityId: "1002" });
    assert.equal(await finder.find({ userId: "mark" }, "eff_1/1|user|mark", SINCE), undefined);
    assert.deepEqual(calls(), [
      "GET /users/mark/teamwork/installedApps 200",
      `GET /users/mark/teamwork/installedApps/inst-mark-${CATALOG_ID}/chat 200`,
      `GET /chats/${encodeURIComponent(CHAT)}/messages 200`,
      `GET /chats/${encodeURIComponent(CHAT)}/messages 200`,
    ]);
    const read = graph.server.log.find((c) => c.url.startsWith("/chats/"))!;
    assert.match(decodeURIComponent(read.url), /\$top=20&\$orderby=createdDateTime desc/);
  });

  it("reads older pages while they are newer than the batch, and stops at the batch's time", async () => {
    const later = Array.from({ length: 30 }, (_, i) => posted(String(2000 + i), minute(3 + i)));
    graph.server.tenant.chatMessages.set(CHAT, [posted("1500", minute(1), KEY), ...later]);
    assert.deepEqual(await finder.find({ userId: "mark" }, KEY, SINCE), { activityId: "1500" });
    assert.equal(calls().filter((c) => c.startsWith("GET /chats/")).length, 2, "two pages");

    const old = Array.from({ length: 45 }, (_, i) => posted(String(3000 + i), minute(-100 + i)));
    graph.server.tenant.chatMessages.set(CHAT, [...old, ...later.slice(0, 5)]);
    graph.server.log.length = 0;
    assert.equal(await finder.find({ userId: "mark" }, KEY, SINCE), undefined);
    assert.equal(calls().length, 1, "the first page already reaches messages older than the batch");
  });

  it("finds a channel post in the channel's messages", async () => {
    graph.server.tenant.chatMessages.set("team-1/19:channel-1", [
      posted("4001", minute(1), "eff_2/3|channel|19:channel-1"),
    ]);
    const channel = { teamId: "team-1", channelId: "19:channel-1" };
    assert.deepEqual(await finder.find({ channel }, "eff_2/3|channel|19:channel-1", SINCE), {
      activityId: "4001",
    });
    assert.deepEqual(calls(), [
      `GET /teams/team-1/channels/${encodeURIComponent("19:channel-1")}/messages 200`,
    ]);
  });

  it("finds nothing, without reading a chat, for someone the app is not installed for", async () => {
    graph.server.tenant.addUser({ id: "nina", displayName: "Nina" });
    assert.equal(await finder.find({ userId: "nina" }, "eff_1/0|user|nina", SINCE), undefined);
    assert.deepEqual(calls(), ["GET /users/nina/teamwork/installedApps 200"]);
  });

  it("throws when the read permission is not granted, and the look-up then says 'post'", async () => {
    graph.server.tenant.chatMessages.set(CHAT, [posted("1002", minute(1), KEY)]);
    graph.server.tenant.messageReadRefused = true;
    await assert.rejects(finder.find({ userId: "mark" }, KEY, SINCE), /403/);
    const { conversations } = createMemoryStores();
    const look = { finder, conversations, logger: silentLogger };
    assert.equal(
      await lookBeforeResend(look, { place: { userId: "mark" }, deliveryKey: KEY, since: SINCE }),
      undefined,
    );
  });

  it("a message found is recorded as a copy of its card (in the Bot Framework conversation), so updates reach it", async () => {
    graph.server.tenant.chatMessages.set(CHAT, [posted("1002", minute(1), KEY)]);
    const { conversations } = createMemoryStores();
    await conversations.saveUserReference("mark", { conversation: { id: "a:1on1-mark" } });
    const look = { finder, conversations, logger: silentLogger };
    const found = await lookBeforeResend(look, {
      place: { userId: "mark" },
      deliveryKey: KEY,
      since: SINCE,
      subject: "request:req_1",
    });
    assert.deepEqual(found, { activityId: "1002", conversationId: "a:1on1-mark" });
    const copies = await conversations.listCards("request:req_1");
    assert.deepEqual(
      copies.map((c) => [c.userId, c.conversationId, c.activityId, c.deliveryKey]),
      [["mark", "a:1on1-mark", "1002", KEY]],
    );
    // A copy remembered with the key is found without reading Teams (updates may have re-rendered the chat message).
    graph.server.log.length = 0;
    const again = await lookBeforeResend(look, {
      place: { userId: "mark" },
      deliveryKey: KEY,
      since: SINCE,
      subject: "request:req_1",
    });
    assert.deepEqual(again, { activityId: "1002", conversationId: "a:1on1-mark" });
    assert.deepEqual(calls(), []);
  });
});
