import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalChannel } from "../../src/local-channel";
import { serveMessages } from "../support/over-http";
import { memoryStores } from "../support/stores";
import { buildBotWorld } from "../support/world";
import { USERS, governanceFixture } from "./fixtures/organization";
import type { HttpHarness } from "./support/harness";
import { cardOf, latestCard, textOf } from "./support/cards";
import { decide, requestBusinessAnalyst } from "./support/flow";

/**
 * A Bot Connector in front of the local channel that behaves as Teams does for people who never
 * added the app (and whose install Graph refused): opening a chat with them answers 403.
 * Everything else goes through to the channel.
 */
async function startRefusingProxy(target: () => string, refused: Set<string>) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (req.method === "POST" && /\/v3\/conversations\/?$/.test(req.url ?? "")) {
        const members = (JSON.parse(body.toString("utf8") || "{}") as { members?: { id: string }[] }).members;
        if (members?.some((m) => refused.has(m.id))) {
          res.writeHead(403, { "Content-Type": "application/json" });
          return res.end(
            JSON.stringify({ error: { code: "Forbidden", message: "The bot is not installed." } }),
          );
        }
      }
      const to = new URL(req.url ?? "/", target());
      const headers = { ...req.headers, host: to.host };
      const forward = http.request(to, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on("error", () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The bot over HTTP as test/support/over-http.ts wires it, its connector calls through the proxy. */
async function startWithRefused(refused: Set<string>): Promise<HttpHarness> {
  const personas = USERS.map((u) => ({ id: u.id, displayName: u.displayName, role: "user" }));
  const channel = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages", personas });
  const channelUrl = await channel.listen();
  const proxy = await startRefusingProxy(() => channelUrl, refused);
  channel.serviceUrl = `${proxy.url}/local-channel`;
  const world = buildBotWorld({
    stores: memoryStores(governanceFixture()),
    bot: { serviceUrl: channel.serviceUrl },
  });
  const served = await serveMessages(world.bot.handleMessages, world.bot.auditDownload);
  channel.botEndpoint = served.endpoint;
  return {
    ...world,
    ...served,
    botUrl: served.url,
    channel,
    async settle() {
      for (let i = 0; i < 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await world.bot.events.drain();
      }
    },
    async close() {
      await served.close();
      await proxy.close();
      await channel.close();
    },
  };
}

describe("bot over HTTP: an approver nobody can reach is replaced by the stage's fallback approvers", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  afterEach(() => h.close());

  it("gives Sam and Sara the card when Maria (the only stage-1 approver) cannot be reached; Sam approves", async () => {
    h = await startWithRefused(new Set(["maria"]));
    await h.channel.install("ana");
    const requestId = await requestBusinessAnalyst(h);

    assert.equal(latestCard(h.channel, "maria", "Approval needed"), undefined, "Teams refused Maria's chat");
    for (const fallback of ["sam", "sara"]) {
      const card = latestCard(h.channel, fallback, "Approval needed");
      assert.ok(card, `${fallback} got the approval card`);
      assert.match(textOf(cardOf(card)), /Stage 1 of 2[\s\S]*Requested by: Ana Costa/);
    }
    const stage = (await h.stores.requests.get(requestId))!.value.stages[0]!;
    assert.deepEqual(stage.unreachable, ["maria"]);
    assert.deepEqual(stage.fallbackAdded?.approvers, ["sam", "sara"]);
    assert.deepEqual(stage.approvers, ["maria", "sam", "sara"]);

    const trail = await h.stores.audit.query({ subject: `request:${requestId}`, limit: 100 });
    const fallbackRow = trail.find((e) => e.action === "stage.fallbackAdded");
    assert.ok(fallbackRow, "the fallback is audited");
    assert.equal(fallbackRow.actor, "system");
    assert.equal(fallbackRow.targetUserId, "ana");
    assert.deepEqual(fallbackRow.details, { stage: "1", approvers: "sam,sara", unreachable: "maria" });
    assert.ok(trail.some((e) => e.action === "notification.undeliverable" && e.targetUserId === "maria"));

    // The requester hears who could not be reached (Maria is the catalog owner: she is not told).
    assert.match(
      textOf(cardOf(latestCard(h.channel, "ana", "Couldn't reach"))),
      /Couldn't reach Maria Silva/,
    );

    await decide(h, "sam", "approval.approve", "Covering for Maria");
    const decided = (await h.stores.requests.get(requestId))!.value;
    assert.equal(decided.stages[0]!.decision?.by, "sam");
    assert.equal(decided.currentStage, 1, "stage 2 started");
    await decide(h, "sara", "approval.approve");
    assert.equal((await h.stores.requests.get(requestId))!.value.state, "delivered");
    // One fallback for the stage, however many times the refusal is reported.
    assert.equal(
      (await h.stores.audit.query({ subject: `request:${requestId}`, limit: 100 })).filter(
        (e) => e.action === "stage.fallbackAdded",
      ).length,
      1,
    );
  });

  it("adds nobody while another approver of the stage was reached", async () => {
    h = await startWithRefused(new Set(["sam"]));
    await h.channel.install("ana");
    const requestId = await requestBusinessAnalyst(h);
    await decide(h, "maria", "approval.approve");

    const stage = (await h.stores.requests.get(requestId))!.value.stages[1]!;
    assert.deepEqual(stage.unreachable, ["sam"]);
    assert.equal(stage.fallbackAdded, undefined);
    assert.deepEqual(stage.approvers, ["sam", "sara"]);
    assert.ok(latestCard(h.channel, "sara", "Approval needed"));
    const trail = await h.stores.audit.query({ subject: `request:${requestId}`, limit: 100 });
    assert.equal(trail.filter((e) => e.action === "stage.fallbackAdded").length, 0);
    assert.ok(trail.some((e) => e.action === "notification.undeliverable" && e.targetUserId === "sam"));
  });

  it("tells the catalog owner once that Sam cannot be reached, however many cards he was refused", async () => {
    h = await startWithRefused(new Set(["sam"]));
    const couldntReachSam = (userId: string) =>
      h.channel
        .activities(h.channel.conversationOf(userId))
        .filter((a) => /Couldn't reach Sam Reyes/.test(textOf(cardOf(a)))).length;
    for (const requester of ["ana", "ben"]) {
      await h.channel.install(requester);
      await requestBusinessAnalyst(h, "Quarterly forecasting", requester);
      await decide(h, "maria", "approval.approve");
    }

    assert.equal(couldntReachSam("maria"), 1, "Maria owns the catalog: told once");
    assert.equal(couldntReachSam("ana"), 1, "each requester hears of their own request");
    assert.equal(couldntReachSam("ben"), 1);
    const refusals = await h.stores.audit.query({ targetUserId: "sam", limit: 100 });
    assert.equal(refusals.filter((e) => e.action === "notification.undeliverable").length, 2);
  });
});
