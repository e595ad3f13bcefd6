import assert from "node:assert/strict";
import { loadConfig } from "../../src/config";
import { createDirectory } from "../../src/composition/directory";
import { FixedClock } from "../../src/adapters/runtime/clock";
import { silentLogger } from "../../src/adapters/runtime/logger";
import { GraphTestServer } from "./support/graph-server";
import { seedOrg } from "./support/seed";

/**
 * DIRECTORY=graph switches the whole app to Microsoft Graph by configuration alone: the composition
 * root builds the Graph directory and provisioner from the environment, pointed here at the
 * loopback Graph server (plain http, so no token is ever requested).
 */
describe("configuration chooses Microsoft Graph", () => {
  let graph: GraphTestServer;

  before(async () => {
    graph = new GraphTestServer();
    seedOrg(graph.tenant);
    graph.tenant.addGroup("grp-crm", "CRM users");
    await graph.start();
  });
  after(() => graph.stop());

  const graphEnv = () => ({
    DIRECTORY: "graph",
    GRAPH_TENANT_ID: "tenant-1",
    GRAPH_CLIENT_ID: "client-1",
    GRAPH_CLIENT_SECRET: "not-used-over-plain-http",
    GRAPH_BASE_URL: graph.baseUrl,
    LOG_LEVEL: "silent",
  });

  it("reads people and grants group membership through Graph, with no code change", async () => {
    const config = loadConfig(graphEnv());
    const parts = createDirectory(config, new FixedClock("2026-11-23T10:00:00Z"), silentLogger);
    assert.equal(parts.local, undefined, "no demo directory in Graph mode");
    assert.equal((await parts.directory.getUser("cleo"))?.displayName, "Cleo O'Brien");
    assert.equal((await parts.directory.getManager("cleo", 1))?.id, "bob");

    const role = { kind: "groupMember" as const, groupId: "grp-crm", displayName: "CRM users" };
    const [outcome] = await parts.provisioner.apply([{ action: "grant", userId: "cleo", role }]);
    assert.deepEqual(outcome, { status: "done" });
    assert.equal(await parts.provisioner.holds("cleo", role), true);
    assert.ok(graph.log.some((c) => c.method === "POST" && c.url.includes("/groups/grp-crm/members/$ref")));
  });

  it("refuses to start in Graph mode without its settings, naming each one", () => {
    assert.throws(
      () => loadConfig({ DIRECTORY: "graph" }),
      (error: Error) =>
        /GRAPH_TENANT_ID/.test(error.message) &&
        /GRAPH_CLIENT_ID/.test(error.message) &&
        /GRAPH_CLIENT_SECRET/.test(error.message),
    );
  });
});
