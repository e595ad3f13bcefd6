import assert from "node:assert/strict";
import { requestDeadlineHandlers } from "../../../src/app/handle-request-deadline";
import { reprocessAssignment } from "../../../src/app/reprocess-assignment";
import { forbidden, unavailable } from "../support/graph-errors";
import {
  assignmentOf,
  auditActions,
  graphWorld,
  holdings,
  requestAndApprove,
  requestOf,
  unwrap,
  type GraphWorld,
} from "./graph-world";

const MAX_RETRIES = 3;
const appRoleGrant = (method: string, path: string) =>
  method === "POST" && path.endsWith("/appRoleAssignedTo");

describe("a delivery that partly fails against the loopback Microsoft Graph", () => {
  let w: GraphWorld;

  beforeEach(async () => {
    w = await graphWorld({ maxRetries: MAX_RETRIES });
  });
  afterEach(() => w.stop());

  const appRoleItems = () =>
    w.graph.server.requestsOf("item").filter((i) => appRoleGrant(i.method, i.url.split("?")[0]!));
  const groupAdds = () =>
    w.graph.server.requestsOf("item").filter((i) => i.method === "POST" && i.url.endsWith("/$ref"));

  it("records partial delivery when the app role keeps answering 503, then the deliveryRetry deadline completes it", async () => {
    w.graph.server.faults.failMatching(appRoleGrant, () => unavailable(503), "item");
    const id = await requestAndApprove(w, "alice");

    const partial = await assignmentOf(w, id);
    assert.equal(partial.state, "partiallyDelivered");
    assert.deepEqual(
      partial.resources.map((r) => [r.role.displayName, r.status]),
      [
        ["CRM users", "granted"],
        ["Deals team (owner)", "granted"],
        ["CRM app", "failed"],
      ],
    );
    const failed = partial.resources[2]!;
    assert.equal(failed.attempts, 1);
    assert.match(failed.lastError ?? "", /^503 serviceNotAvailable/);
    assert.ok(failed.nextAttemptAt, "a retryable failure gets a retry time");
    const request = await requestOf(w, id);
    assert.equal(request.state, "partiallyDelivered");
    assert.match(request.outcomeReason ?? "", /CRM app: 503/);
    assert.deepEqual(holdings(w.tenant, "alice"), { member: true, owner: true, appRole: false });
    assert.equal(appRoleItems().length, MAX_RETRIES + 1, "the transport spent its retry budget");
    assert.ok(appRoleItems().every((i) => i.status === 503));

    // The fault clears; the scheduler's deliveryRetry deadline comes due.
    w.graph.server.faults.clear();
    const due = (await w.deps.due.listDue("2100-01-01T00:00:00.000Z", 100))
      .map((v) => v.value)
      .filter((d) => d.kind === "deliveryRetry" && d.subjectId === id && d.discriminator === "grant");
    assert.equal(due.length, 1);
    assert.equal(due[0]!.dueAt, failed.nextAttemptAt);
    w.clock.set(due[0]!.dueAt);
    await requestDeadlineHandlers.deliveryRetry!(w.deps, due[0]!);

    const done = await assignmentOf(w, id);
    assert.equal(done.state, "delivered");
    assert.deepEqual(
      done.resources.map((r) => [r.status, r.attempts]),
      [
        ["granted", 1],
        ["granted", 1],
        ["granted", 2],
      ],
    );
    assert.equal((await requestOf(w, id)).state, "delivered");
    assert.deepEqual(holdings(w.tenant, "alice"), { member: true, owner: true, appRole: true });
    assert.equal(groupAdds().length, 2, "the retry asked only for what had failed");
    assert.equal(w.tenant.applied.filter((c) => c.change === "appRoleAssigned").length, 1);
    const actions = await auditActions(w, "alice");
    assert.deepEqual(
      actions.filter((a) => a.startsWith("assignment.") || a.startsWith("resource.")),
      [
        "assignment.partiallyGranted",
        "resource.granted",
        "resource.granted",
        "assignment.granted",
        "resource.granted",
      ],
    );
  });

  it("does not retry a 403 on its own, and a catalog owner's reprocess completes it once the permission is fixed", async () => {
    w.graph.server.faults.failMatching(appRoleGrant, forbidden, "item");
    const id = await requestAndApprove(w, "alice");

    const partial = await assignmentOf(w, id);
    assert.equal(partial.state, "partiallyDelivered");
    const failed = partial.resources[2]!;
    assert.equal(failed.status, "failed");
    assert.match(failed.lastError ?? "", /^403 Authorization_RequestDenied/);
    assert.equal(failed.nextAttemptAt, undefined, "a 403 will not change by asking again");
    assert.equal(appRoleItems().length, 1, "one attempt, no retries");

    // The safety-net deadline finds nothing due to retry.
    const safety = (await w.deps.due.listDue("2100-01-01T00:00:00.000Z", 100))
      .map((v) => v.value)
      .find((d) => d.kind === "deliveryRetry" && d.subjectId === id)!;
    w.clock.set(safety.dueAt);
    await requestDeadlineHandlers.deliveryRetry!(w.deps, safety);
    assert.equal(appRoleItems().length, 1);
    assert.equal((await assignmentOf(w, id)).state, "partiallyDelivered");

    w.graph.server.faults.clear();
    const refused = await reprocessAssignment(w.deps, {
      actorId: "alice",
      assignmentId: partial.id,
      source: "chat:command",
    });
    assert.equal(!refused.ok && refused.error.code, "ASSIGNMENT.NOT_CATALOG_OWNER");
    const reprocessed = unwrap(
      await reprocessAssignment(w.deps, {
        actorId: "olivia",
        assignmentId: partial.id,
        source: "card:admin",
      }),
    );
    assert.equal(reprocessed.assignment?.state, "delivered");
    assert.equal(reprocessed.request.state, "delivered");
    assert.deepEqual(holdings(w.tenant, "alice"), { member: true, owner: true, appRole: true });
    assert.deepEqual(
      appRoleItems().map((i) => i.status),
      [403, 201],
    );
    assert.equal(groupAdds().length, 2);
  });
});
