import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { RememberedReferences } from "../../src/adapters/cache/remembered-references";
import { MemoryConversationStore } from "../../src/adapters/memory/conversation-store";
import { silentLogger } from "../../src/adapters/runtime/logger";
import { createTeamsAdapter } from "../../src/adapters/teams/bot-auth";
import { TeamsNotifier } from "../../src/adapters/teams/teams-notifier";
import type { ConversationReferenceJson } from "../../src/ports/conversations";

const reference = (conversationId: string, serviceUrl = "http://127.0.0.1:1"): ConversationReferenceJson => ({
  channelId: "msteams",
  serviceUrl,
  conversation: { id: conversationId, conversationType: "personal" },
  user: { id: "29:ana", aadObjectId: "ana" },
  bot: { id: "28:bot" },
});

/** Storage with its reference reads counted; `later` moves the remembering store's clock on. */
function counted(options: { ttlMs?: number; missingTtlMs?: number } = {}) {
  const storage = new MemoryConversationStore();
  let reads = 0;
  const get = storage.getUserReference.bind(storage);
  storage.getUserReference = (userId) => ((reads += 1), get(userId));
  let now = 1_000_000;
  const remembered = new RememberedReferences(storage, { ...options, now: () => now });
  return { storage, remembered, reads: () => reads, later: (ms: number) => (now += ms) };
}

describe("conversation references remembered per process", () => {
  it("reads a person's reference from storage once, then from memory until it expires", async () => {
    const { storage, remembered, reads, later } = counted({ ttlMs: 60_000 });
    await storage.saveUserReference("ana", reference("a:ana"));
    for (let i = 0; i < 5; i++)
      assert.equal(((await remembered.getUserReference("ana"))?.conversation as { id: string }).id, "a:ana");
    assert.equal(reads(), 1);
    later(60_000);
    await remembered.getUserReference("ana");
    assert.equal(reads(), 2);
  });

  it("remembers what it saved, shares one read among concurrent readers, hands out copies", async () => {
    const { remembered, reads } = counted();
    await remembered.saveUserReference("ana", reference("a:ana"));
    const first = (await remembered.getUserReference("ana"))!;
    (first.conversation as { id: string }).id = "changed by a caller";
    assert.equal(((await remembered.getUserReference("ana"))!.conversation as { id: string }).id, "a:ana");
    await Promise.all(["sam", "sam", "sam"].map((id) => remembered.getUserReference(id)));
    assert.equal(reads(), 1, "one read for Sam, none for Ana");
  });

  it("reads a team's reference once until it expires, keeps what it saved, and asks again for a team nobody saved", async () => {
    const storage = new MemoryConversationStore();
    let reads = 0;
    const get = storage.getTeam.bind(storage);
    storage.getTeam = (teamId) => ((reads += 1), get(teamId));
    let now = 1_000_000;
    const remembered = new RememberedReferences(storage, { ttlMs: 60_000, now: () => now });
    assert.equal(await remembered.getTeam("t1"), undefined);
    await storage.saveTeam("t1", reference("19:t1"), [{ teamId: "t1", channelId: "c1", name: "Access" }]);
    for (let i = 0; i < 3; i++) assert.equal((await remembered.getTeam("t1"))?.channels[0]?.channelId, "c1");
    assert.equal(reads, 2, "the miss, then one read");
    const copy = (await remembered.getTeam("t1"))!;
    copy.channels.length = 0;
    assert.equal((await remembered.getTeam("t1"))?.channels.length, 1, "callers get copies");
    await remembered.saveTeam("t1", reference("19:t1", "http://127.0.0.1:2"), []);
    assert.equal((await remembered.getTeam("t1"))?.reference.serviceUrl, "http://127.0.0.1:2");
    assert.equal(reads, 2, "what it saved, from memory");
    now += 60_000;
    await remembered.getTeam("t1");
    assert.equal(reads, 3, "expired: storage again");
  });

  it("asks storage again for someone with no reference after a minute, and after being told to forget", async () => {
    const { storage, remembered, reads, later } = counted({ missingTtlMs: 60_000 });
    assert.equal(await remembered.getUserReference("sam"), undefined);
    await storage.saveUserReference("sam", reference("a:sam"));
    assert.equal(await remembered.getUserReference("sam"), undefined, "another instance's save, not yet");
    later(60_000);
    assert.ok(await remembered.getUserReference("sam"), "seen within the minute");
    assert.equal(reads(), 2);
    await storage.saveUserReference("sam", reference("a:sam-2"));
    remembered.forgetUserReference("sam");
    assert.equal(((await remembered.getUserReference("sam"))!.conversation as { id: string }).id, "a:sam-2");
    assert.equal(reads(), 3);
  });
});

/** A connector where one conversation is gone (404) and every other takes messages. */
async function startConnector(gone: string) {
  const sent: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? "");
      const conversationId = decodeURIComponent(match?.[1] ?? "");
      res.setHeader("Content-Type", "application/json");
      if (!match || conversationId === gone) {
        res.writeHead(404);
        return res.end(JSON.stringify({ error: { code: "ConversationNotFound", message: "gone" } }));
      }
      sent.push(conversationId);
      res.writeHead(200);
      res.end(JSON.stringify({ id: `act-${sent.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, sent, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("a send into a remembered reference Teams refuses", () => {
  it("forgets it and sends again with the reference storage holds now", async () => {
    const connector = await startConnector("a:old");
    try {
      const { storage, remembered, reads } = counted();
      await remembered.saveUserReference("ana", reference("a:old", connector.url));
      // Another instance saved Ana's new chat; this one still remembers the old.
      await storage.saveUserReference("ana", reference("a:new", connector.url));
      const notifier = new TeamsNotifier({
        adapter: createTeamsAdapter({ appId: "" }),
        appId: "",
        conversations: remembered,
        logger: silentLogger,
      });
      const card = { card: { type: "AdaptiveCard", version: "1.5", body: [] }, summary: "Approval needed" };
      const sent = await notifier.sendToUser("ana", card);
      assert.equal(sent?.conversationId, "a:new");
      await notifier.sendToUser("ana", card);
      assert.deepEqual(connector.sent, ["a:new", "a:new"]);
      assert.equal(reads(), 1, "storage read once, after the refusal");
    } finally {
      await connector.close();
    }
  });
});
