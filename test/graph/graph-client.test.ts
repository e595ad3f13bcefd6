import assert from "node:assert/strict";
import { ClientSecretCredential, ManagedIdentityCredential } from "@azure/identity";
import { Client, type FetchOptions } from "@microsoft/microsoft-graph-client";
import { createCredential, createGraphClient, GRAPH_SCOPE } from "../../src/adapters/graph/client";
import { GraphDirectory } from "../../src/adapters/graph/graph-directory";
import { GraphProvisioner } from "../../src/adapters/graph/graph-provisioner";
import { startGraph } from "./support/fixture";
import { seedOrg } from "./support/seed";
import { dispatcherTrusting, selfSignedCertificate } from "./support/tls";

describe("Graph client construction", () => {
  it("sends no token to a plain-http base URL and never asks the credential", async () => {
    const g = await startGraph();
    try {
      seedOrg(g.server.tenant);
      const user = await new GraphDirectory(g.transport()).getUser("bob");
      assert.equal(user?.displayName, "Bob Marley");
      assert.equal(g.server.log[0].authorization, undefined);
      assert.equal(g.credential.calls, 0);
    } finally {
      await g.stop();
    }
  });

  it("sends the credential's bearer token for the Graph .default scope to an https host it is told to trust", async function () {
    const tls = selfSignedCertificate();
    const dispatcher = tls && (await dispatcherTrusting(tls.cert));
    if (!tls || !dispatcher) this.skip();
    const g = await startGraph(
      { tls, requireToken: "test-token" },
      { customHosts: ["127.0.0.1"], fetchOptions: { dispatcher } as FetchOptions },
    );
    try {
      seedOrg(g.server.tenant);
      const outcomes = await new GraphProvisioner(g.transport()).apply([
        {
          action: "grant",
          userId: "eve",
          role: { kind: "groupMember", groupId: "crm-users", displayName: "CRM" },
        },
      ]);
      assert.deepEqual(outcomes, [{ status: "done" }]);
      assert.equal(g.server.requestsOf("request")[0].authorization, "Bearer test-token");
      assert.deepEqual(g.credential.scopes, [GRAPH_SCOPE]);
      assert.ok(g.credential.calls >= 1);
    } finally {
      await g.stop();
    }
  });

  it("reports a rejected token as a failure that is not retried", async function () {
    const tls = selfSignedCertificate();
    const dispatcher = tls && (await dispatcherTrusting(tls.cert));
    if (!tls || !dispatcher) this.skip();
    const g = await startGraph(
      { tls, requireToken: "another-token" },
      { customHosts: ["127.0.0.1"], fetchOptions: { dispatcher } as FetchOptions },
    );
    try {
      const [outcome] = await new GraphProvisioner(g.transport()).apply([
        {
          action: "revoke",
          userId: "eve",
          role: { kind: "groupOwner", groupId: "sales", displayName: "Sales" },
        },
      ]);
      assert.equal(outcome.status, "failed");
      assert.equal(outcome.status === "failed" && outcome.retryable, false);
      assert.deepEqual(
        g.server.log.map((c) => c.status),
        [401],
      );
    } finally {
      await g.stop();
    }
  });

  it("builds the credential the configuration names, without contacting anyone", () => {
    const base = {
      tenantId: "00000000-0000-0000-0000-000000000001",
      clientId: "00000000-0000-0000-0000-000000000002",
    };
    assert.ok(
      createCredential({ ...base, auth: { kind: "secret", clientSecret: "s" } }) instanceof
        ClientSecretCredential,
    );
    assert.ok(
      createCredential({ ...base, auth: { kind: "managedIdentity" } }) instanceof ManagedIdentityCredential,
    );
    assert.ok(
      createCredential({ ...base, auth: { kind: "managedIdentity", clientId: base.clientId } }) instanceof
        ManagedIdentityCredential,
    );
    assert.ok(
      createGraphClient({
        ...base,
        auth: { kind: "secret", clientSecret: "s" },
        baseUrl: "http://127.0.0.1:9",
      }) instanceof Client,
    );
  });
});
