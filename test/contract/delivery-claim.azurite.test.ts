import { strict as assert } from "node:assert";
import { decideApproval } from "../../src/app/decide-approval";
import { deliverRequest } from "../../src/app/deliver-assignment";
import { RecordingEvents } from "../support/recording";
import { azuriteForSuite } from "../support/azurite";
import { azuriteStores } from "../support/stores";
import { buildWorld } from "../support/world";
import { MapDirectory } from "../unit/app/support/directory";
import { MapProvisioner } from "../unit/app/support/provisioner";
import { aliceAsksForAnalyst, unwrap } from "../unit/app/support/world";
import { config, NOW, user } from "../unit/domain/support/fixtures";

/**
 * A delivery writes its assignment's index rows beside the claim's hand-over and the journal. When
 * another assignment holds the claim (which the request's own claim should have prevented), no
 * assignment is created and the rows written ahead are taken back.
 */
describe("a delivery that finds the claim held by another assignment (table stores on Azurite)", function () {
  this.timeout(60_000);
  const azurite = azuriteForSuite();

  it("creates nothing and leaves no index row behind", async () => {
    const stores = await azuriteStores(azurite(), { governance: config() });
    const directory = new MapDirectory()
      .addUser(user("alice", { managerId: "mark" }))
      .addUser(user("mark"))
      .addUser(user("sam"))
      .addGroup("grp-security", "Cyber Security", ["sam"]);
    const { deps } = buildWorld({
      stores,
      directory,
      provisioner: new MapProvisioner(),
      events: new RecordingEvents(),
      start: NOW,
    });
    const first = await aliceAsksForAnalyst(deps);
    const decision = { requestId: first.id, outcome: "approve" as const, justification: "Ok", source: "t" };
    unwrap(await decideApproval(deps, { ...decision, actorId: "mark", stage: 1 }));
    await unwrap(await decideApproval(deps, { ...decision, actorId: "sam", stage: 2 })).followUp;
    const held = (await deps.requests.get(first.id))!.value;
    assert.equal(held.state, "delivered");

    // A second request that reached delivery anyway: its claim was never taken, the access's is held.
    const stray = { ...held, id: "req_stray", state: "delivering" as const, effectBatchIds: [] };
    delete (stray as { assignmentId?: string }).assignmentId;
    await deps.requests.create(stray);
    const result = await deliverRequest(deps, stray.id);
    assert.ok(!result.ok || result.value.request.state !== "delivered", "the stray request got no access");

    stores.counter.reset();
    const listed = await deps.assignments.listForPackage("pkg-analyst");
    assert.deepEqual(
      listed.map((a) => a.id),
      [held.assignmentId],
    );
    assert.equal(stores.counter.operations, 2, "one index row: the query and one read, no row of the stray");
  });
});
