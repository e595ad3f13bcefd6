import assert from "node:assert/strict";
import { requestDeadlineHandlers } from "../../src/app/handle-request-deadline";
import { NOT_FOUND_ON_READ_BACK } from "../../src/app/shared/grant-due";
import { deliveredView } from "../../src/views/notices";
import { loadViewContext } from "../../src/app/queries/view-context";
import { LocalDirectory, LocalProvisioner, MemoryMembershipStore } from "../../src/adapters/local-directory";
import type { Organization } from "../../src/adapters/local-directory";
import {
  assignmentOf,
  graphWorld,
  holdings,
  NOW,
  requestAndApprove,
  type GraphWorld,
} from "./lifecycle/graph-world";

const isGroupAdd = (method: string, path: string) =>
  method === "POST" && path === "/groups/crm-users/members/$ref";

describe("every grant is read back after a delivery and the assignment marked verified", () => {
  let w: GraphWorld;
  beforeEach(async () => {
    w = await graphWorld({ maxRetries: 1 });
  });
  afterEach(() => w.stop());

  it("reads the membership, ownership and app role back in one $batch and marks each verified, in the save that records the grants", async () => {
    const id = await requestAndApprove(w, "alice");
    const a = await assignmentOf(w, id);
    assert.equal(a.state, "delivered");
    assert.deepEqual(
      a.resources.map((r) => [r.role.displayName, r.status, r.verifiedAt]),
      [
        ["CRM users", "granted", NOW],
        ["Deals team (owner)", "granted", NOW],
        ["CRM app", "granted", NOW],
      ],
    );
    const items = w.graph.server.requestsOf("item");
    const reads = items.filter((i) => i.method === "GET" && i.batch === items.at(-1)!.batch);
    assert.deepEqual(
      reads.map((i) => i.url.split("?")[0]),
      ["/groups/crm-users/members", "/groups/team-deals/owners", "/users/alice/appRoleAssignments"],
      "the three read-backs went out together after the grants",
    );
    // One save recorded grants and verification: the assignment was created (1) and saved once (2).
    assert.equal(a.revision, 2);
    const ctx = await loadViewContext(w.deps, ["alice"]);
    const card = JSON.stringify(deliveredView(ctx, a).data);
    assert.match(card, /Verified in the directory/);
    assert.match(card, /Granted, verified/);
  });

  it("a grant Graph accepted but does not show is retried by the deliveryRetry deadline, then verified", async () => {
    // Graph answers 204 to the add but the member never appears (a lost write).
    w.graph.server.faults.failMatching(isGroupAdd, () => ({ status: 204 }), "item");
    const id = await requestAndApprove(w, "alice");
    const partial = await assignmentOf(w, id);
    assert.equal(partial.state, "partiallyDelivered");
    const crm = partial.resources[0]!;
    assert.deepEqual(
      [crm.status, crm.lastError, crm.verifiedAt],
      ["failed", NOT_FOUND_ON_READ_BACK, undefined],
    );
    assert.ok(crm.nextAttemptAt, "a mismatch is retried");
    assert.equal(holdings(w.tenant, "alice").member, false);

    w.graph.server.faults.clear();
    const due = (await w.deps.due.listDue("2100-01-01T00:00:00.000Z", 100))
      .map((v) => v.value)
      .filter((d) => d.kind === "deliveryRetry" && d.subjectId === id && d.discriminator === "grant");
    assert.equal(due.length, 1, "the retry is a due item");
    w.clock.set(due[0]!.dueAt);
    await requestDeadlineHandlers.deliveryRetry!(w.deps, due[0]!);
    const done = await assignmentOf(w, id);
    assert.equal(done.state, "delivered");
    assert.equal(done.resources[0]!.verifiedAt, due[0]!.dueAt);
    assert.equal(holdings(w.tenant, "alice").member, true);
  });

  it("a read-back that fails leaves the grant granted but unverified: nothing is concluded from no answer", async () => {
    w.graph.server.faults.failMatching(
      (method, path) => method === "GET" && path === "/users/alice/appRoleAssignments",
      () => ({ status: 503, body: { error: { code: "serviceNotAvailable", message: "down" } } }),
      "item",
    );
    const id = await requestAndApprove(w, "alice");
    const a = await assignmentOf(w, id);
    assert.equal(a.state, "delivered");
    assert.deepEqual(
      a.resources.map((r) => [r.status, r.verifiedAt !== undefined]),
      [
        ["granted", true],
        ["granted", true],
        ["granted", false],
      ],
    );
  });
});

describe("the local directory verifies too", () => {
  it("reads each role back from the demo directory", async () => {
    const organization = {
      tenant: { name: "Contoso", domain: "contoso.test" },
      memberships: [],
      users: [
        {
          id: "u1",
          displayName: "U1",
          userPrincipalName: "u1@contoso.test",
          userType: "Member",
          accountEnabled: true,
        },
      ],
      groups: [{ id: "g1", displayName: "G1", memberGroupIds: [] }],
      servicePrincipals: [],
    } as unknown as Organization;
    const directory = new LocalDirectory(organization, new MemoryMembershipStore());
    const provisioner = new LocalProvisioner(directory);
    const role = { kind: "groupMember" as const, groupId: "g1", displayName: "G1" };
    assert.deepEqual(await provisioner.verify("u1", [role]), [false]);
    await provisioner.apply([{ action: "grant", userId: "u1", role }]);
    assert.deepEqual(await provisioner.verify("u1", [role]), [true]);
  });
});
