import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTeamsAdapter } from "../../src/adapters/teams/bot-auth";
import { TeamsNotifier } from "../../src/adapters/teams/teams-notifier";
import { GraphAppInstaller } from "../../src/adapters/graph/teams-app-installer";
import { silentLogger } from "../../src/adapters/runtime/logger";
import { createMemoryStores } from "../../src/adapters/memory";
import { instantSleep, startGraph, type GraphHarness } from "./support/fixture";
import type { Tenant } from "./support/tenant";

const CATALOG_ID = "5f2a7c1e-0000-4000-8000-00000000a11d";

/**
 * A loopback Bot Connector as real Teams behaves: a first message to someone who does not have the
 * app installed (in the loopback Graph tenant) is refused with 403; once installed it goes through.
 */
async function startGatedConnector(tenant: Tenant) {
  const sent: { conversationId: string; text: string }[] = [];
  let conversationsCreated = 0;
  let refusals = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (req.method === "POST" && req.url === "/v3/conversations") {
        const userId = ((json.members as { id: string }[] | undefined) ?? [])[0]?.id ?? "";
        if ((tenant.installedApps.get(userId)?.size ?? 0) === 0) {
          refusals++;
          return reply(403, {
            error: { code: "Forbidden", message: "The bot is not installed for the user." },
          });
        }
        conversationsCreated++;
        return reply(201, { id: `a:1on1-${userId}` });
      }
      const activity = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? "");
      if (req.method === "POST" && activity) {
        sent.push({ conversationId: decodeURIComponent(activity[1]!), text: JSON.stringify(json) });
        return reply(200, { id: `act-${sent.length}` });
      }
      reply(404, { error: { code: "NotFound", message: req.url } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    counts: () => ({ conversationsCreated, refusals }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const card = { card: { type: "AdaptiveCard", version: "1.5", body: [] }, summary: "Approval needed" };

describe("everyone who must act can be reached: the app is installed through Graph on a 403", () => {
  let graph: GraphHarness;
  let connector: Awaited<ReturnType<typeof startGatedConnector>>;

  beforeEach(async () => {
    graph = await startGraph();
    graph.server.tenant.addUser({ id: "mark", displayName: "Mark" });
    graph.server.tenant.addUser({ id: "nina", displayName: "Nina" });
    connector = await startGatedConnector(graph.server.tenant);
  });
  afterEach(async () => {
    await connector.close();
    await graph.stop();
  });

  const notifier = (withInstaller: boolean) => {
    const transport = graph.transport({ runtime: instantSleep().runtime, logger: silentLogger });
    return new TeamsNotifier({
      adapter: createTeamsAdapter({ appId: "" }),
      appId: "",
      conversations: createMemoryStores().conversations,
      logger: silentLogger,
      defaultServiceUrl: connector.url,
      ...(withInstaller ? { installer: new GraphAppInstaller(transport, CATALOG_ID, silentLogger) } : {}),
    });
  };

  it("installs the app for an approver who never opened it, opens the chat and delivers the card", async () => {
    const sent = await notifier(true).sendToUser("mark", card, "request:req_1");
    assert.ok(sent, "the card went out");
    assert.equal(sent.conversationId, "a:1on1-mark");
    assert.deepEqual(connector.counts(), { conversationsCreated: 1, refusals: 1 });
    assert.deepEqual([...graph.server.tenant.installedApps.get("mark")!.values()], [CATALOG_ID]);
    const calls = graph.server.log.map((c) => `${c.method} ${c.url.split("?")[0]} ${c.status}`);
    assert.deepEqual(calls, [
      "POST /users/mark/teamwork/installedApps 201",
      "GET /users/mark/teamwork/installedApps 200",
      `GET /users/mark/teamwork/installedApps/inst-mark-${CATALOG_ID}/chat 200`,
    ]);
    assert.equal(connector.sent.length, 1);
  });

  it("a second message to the same person needs no install: the chat is remembered", async () => {
    const n = notifier(true);
    await n.sendToUser("mark", card);
    await n.sendToUser("mark", card);
    assert.equal(graph.server.log.filter((c) => c.method === "POST").length, 1);
    assert.equal(connector.sent.length, 2);
  });

  it("when Graph refuses the install, the 403 stands so the person is reported unreachable", async () => {
    graph.server.tenant.appInstallRefused.add("nina");
    await assert.rejects(
      notifier(true).sendToUser("nina", card),
      (e: { statusCode?: number }) => e.statusCode === 403,
    );
    assert.equal(connector.sent.length, 0);
    assert.ok(graph.server.log.some((c) => c.method === "POST" && c.status === 403));
  });

  it("without TEAMS_APP_CATALOG_ID nothing is installed and the 403 stands", async () => {
    await assert.rejects(
      notifier(false).sendToUser("mark", card),
      (e: { statusCode?: number }) => e.statusCode === 403,
    );
    assert.equal(graph.server.log.length, 0);
  });
});
