import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type restify from "restify";
import { silentLogger } from "../../src/adapters/runtime/logger";
import { createHttpServer, listen } from "../../src/http/server";
import { createLocalChannel, type LocalChannel } from "../../src/local-channel";
import { startFakeBot, type FakeBot } from "./fake-bot";
import { createHarness } from "../bot/support/harness";
import { USERS } from "../bot/fixtures/organization";

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: unlike fetch, it can send any Host, Origin or Content-Type, as an attacker can. */
function request(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const JSON_TYPE = { "content-type": "application/json" };

describe("local chat page: refuses requests a hostile website or a rebinding name can make", function () {
  this.timeout(20_000);
  let channel: LocalChannel;
  let bot: FakeBot;
  let server: restify.Server;
  let port: number;
  let hoursAdvanced: number[];

  beforeEach(async () => {
    hoursAdvanced = [];
    bot = await startFakeBot(async (context) => {
      if (context.activity.type === "message") await context.sendActivity(`echo ${context.activity.text}`);
    });
    channel = createLocalChannel({
      botEndpoint: bot.endpoint,
      personas: [
        { id: "ana", displayName: "Ana", role: "requester" },
        { id: "maria", displayName: "Maria", role: "approver" },
      ],
      hooks: {
        advanceClock: async (hours) => {
          hoursAdvanced.push(hours);
          return new Date().toISOString();
        },
      },
    });
    // The composition root's server: restify with its body parser (forms and text included).
    server = createHttpServer({
      handleMessages: async (_req, res) => void res.send(200),
      ready: async () => true,
      logger: silentLogger,
      mount: (s) => channel.mount(s),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    server.server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await channel.close();
    await bot.close();
  });

  const said = () => channel.transcript(channel.conversationOf("maria")).length;

  it("refuses a cross-origin text/plain POST that would move the clock", async () => {
    const reply = await request(
      port,
      "POST",
      "/local-channel/api/clock/advance",
      { "content-type": "text/plain", origin: "https://evil.example" },
      JSON.stringify({ hours: 4000 }),
    );
    assert.equal(reply.status, 415);
    assert.match(reply.body, /application\/json/);
    assert.deepEqual(hoursAdvanced, []);
  });

  it("refuses a form POST that would speak as another person", async () => {
    const reply = await request(
      port,
      "POST",
      "/local-channel/api/say",
      { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      "userId=maria&text=approve%20everything",
    );
    assert.equal(reply.status, 415);
    assert.equal(said(), 0);
  });

  it("refuses JSON from another origin, and JSON with a null origin", async () => {
    for (const origin of ["https://evil.example", `http://localhost:${port + 1}`, "null"]) {
      const reply = await request(
        port,
        "POST",
        "/local-channel/api/say",
        { ...JSON_TYPE, origin },
        JSON.stringify({ userId: "maria", text: "hi" }),
      );
      assert.equal(reply.status, 403, origin);
      assert.match(reply.body, /origin/i);
    }
    assert.equal(said(), 0);
  });

  it("refuses a cross-site read of the API, as browsers label it (Sec-Fetch-Site)", async () => {
    const reply = await request(port, "GET", "/local-channel/api/state", { "sec-fetch-site": "cross-site" });
    assert.equal(reply.status, 403);
  });

  it("accepts JSON from the page's own origin and from a caller that sends no Origin", async () => {
    const same = await request(
      port,
      "POST",
      "/local-channel/api/say",
      { ...JSON_TYPE, origin: `http://127.0.0.1:${port}`, "sec-fetch-site": "same-origin" },
      JSON.stringify({ userId: "maria", text: "hi" }),
    );
    assert.equal(same.status, 200, same.body);
    const tool = await request(
      port,
      "POST",
      "/local-channel/api/clock/advance",
      JSON_TYPE,
      JSON.stringify({ hours: 2 }),
    );
    assert.equal(tool.status, 200, tool.body);
    assert.deepEqual(hoursAdvanced, [2]);
  });

  it("serves nothing under a name that is not loopback (DNS rebinding) or on another port", async () => {
    for (const host of [
      "evil.example",
      `evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost:${port + 1}`,
    ]) {
      for (const path of ["/chat", "/local-channel/api/state", "/local-channel/web/app.js"]) {
        const reply = await request(port, "GET", path, { host });
        assert.equal(reply.status, 403, `${host} ${path}`);
      }
    }
    const connector = await request(
      port,
      "POST",
      `/local-channel/v3/conversations/${encodeURIComponent("a:personal-maria")}/activities`,
      { ...JSON_TYPE, host: `rebound.example:${port}` },
      JSON.stringify({ type: "message", text: "fake bot message" }),
    );
    assert.equal(connector.status, 403);
  });

  it("serves the page under every loopback name with the port", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      assert.equal((await request(port, "GET", "/chat", { host })).status, 200, host);
    }
  });

  it("refuses a bot-connector write that is not JSON", async () => {
    const reply = await request(
      port,
      "POST",
      `/local-channel/v3/conversations/${encodeURIComponent("a:personal-maria")}/activities`,
      { "content-type": "text/plain" },
      JSON.stringify({ type: "message", text: "fake bot message" }),
    );
    assert.equal(reply.status, 415);
  });

  it("sends a Content-Security-Policy without inline script, and forbids framing", async () => {
    const reply = await request(port, "GET", "/chat");
    assert.equal(reply.status, 200);
    const csp = String(reply.headers["content-security-policy"] ?? "");
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /default-src 'none'/);
    assert.equal(reply.headers["x-frame-options"], "DENY");
    assert.doesNotMatch(reply.body, /<script>|<script [^>]*>[^<]/, "no inline script in the page");
  });
});

describe("bot endpoint in local mode: refuses what a hostile website or a rebinding name can send", function () {
  this.timeout(20_000);
  let channel: LocalChannel;
  let server: restify.Server;
  let port: number;

  // As the composition root wires local mode: the bot and the local channel on one server.
  beforeEach(async () => {
    channel = createLocalChannel({
      botEndpoint: "",
      personas: USERS.map((u) => ({ id: u.id, displayName: u.displayName, role: "user" })),
    });
    let handle = async (_req: restify.Request, _res: restify.Response): Promise<void> => undefined;
    server = createHttpServer({
      handleMessages: (req, res) => handle(req, res),
      ready: async () => true,
      logger: silentLogger,
      mount: (s) => channel.mount(s),
    });
    const url = await listen(server, 0, "127.0.0.1");
    port = Number(new URL(url).port);
    channel.botEndpoint = `${url}/api/messages`;
    handle = (await createHarness(channel.serviceUrl)).bot.handleMessages;
    await channel.install("maria");
  });
  afterEach(async () => {
    server.server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await channel.close();
  });

  const botSaid = () => channel.activities(channel.conversationOf("maria")).length;
  const quiet = () => new Promise((resolve) => setTimeout(resolve, 100));
  const activity = () => ({
    type: "message",
    text: "help",
    serviceUrl: channel.serviceUrl,
    channelId: "msteams",
    conversation: { id: channel.conversationOf("maria"), conversationType: "personal" },
    from: { id: "29:maria", aadObjectId: "maria" },
    recipient: { id: "28:access-desk" },
  });

  it("refuses a form POST shaped as an activity (speaking as someone else)", async () => {
    const before = botSaid();
    const a = activity();
    const form = new URLSearchParams({
      type: a.type,
      text: a.text,
      serviceUrl: a.serviceUrl,
      channelId: a.channelId,
      "conversation[id]": a.conversation.id,
      "from[id]": a.from.id,
      "from[aadObjectId]": a.from.aadObjectId,
      "recipient[id]": a.recipient.id,
    }).toString();
    const reply = await request(
      port,
      "POST",
      "/api/messages",
      { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      form,
    );
    assert.equal(reply.status, 415, reply.body);
    await quiet();
    assert.equal(botSaid(), before, "the bot did not answer");
  });

  it("refuses an activity sent under a name that is not loopback (DNS rebinding)", async () => {
    const before = botSaid();
    const reply = await request(
      port,
      "POST",
      "/api/messages",
      { ...JSON_TYPE, host: `rebound.example:${port}` },
      JSON.stringify(activity()),
    );
    assert.equal(reply.status, 403, reply.body);
    await quiet();
    assert.equal(botSaid(), before, "the bot did not answer");
    const ok = await request(port, "POST", "/api/messages", JSON_TYPE, JSON.stringify(activity()));
    assert.equal(ok.status, 200, ok.body);
    await channel.waitFor(() => botSaid() > before);
  });
});
