import assert from "node:assert/strict";
import type { AccessRequest, Assignment } from "../../src/domain/model";
import { type HttpHarness, START, startOverHttp } from "./support/harness";
import { actionData, cardOf, invokeCard, latestWithAction, textOf } from "./support/cards";

const salesforce = {
  kind: "appRole" as const,
  servicePrincipalId: "sp-salesforce",
  appRoleId: "role-analyst",
  displayName: "Salesforce",
  roleName: "Analyst",
};
const group = { kind: "groupMember" as const, groupId: "g-ba", displayName: "Business Analysts" };

const request: AccessRequest = {
  id: "req-ana",
  type: "userAdd",
  requesterId: "ana",
  targetUserId: "ana",
  packageId: "pkg-ba",
  policyId: "pol-ba",
  justification: "Forecasting",
  answers: {},
  schedule: {},
  state: "partiallyDelivered",
  stages: [],
  assignmentId: "asg-ana",
  createdAt: START,
  updatedAt: START,
  revision: 3,
};

/** Salesforce failed six times and gave up; the group was granted. */
const partial: Assignment = {
  id: "asg-ana",
  userId: "ana",
  packageId: "pkg-ba",
  policyId: "pol-ba",
  requestId: "req-ana",
  state: "partiallyDelivered",
  startAt: START,
  endAt: "2026-12-23T10:00:00.000Z",
  resources: [
    { role: group, status: "granted", attempts: 1, heldBefore: false },
    { role: salesforce, status: "failed", attempts: 6, heldBefore: false, lastError: "403 Forbidden" },
  ],
  remindersSent: [],
  createdAt: START,
  updatedAt: START,
  revision: 7,
};

describe("bot over HTTP: a delivery that failed for good, and the catalog owner's Reprocess", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startOverHttp();
    for (const user of ["ana", "maria", "ben"]) await h.channel.install(user);
    await h.stores.requests.create(request);
    await h.stores.assignments.create(partial);
    await h.bot.events.publish([{ type: "GrantsFailed", assignmentId: "asg-ana", roles: ["Salesforce"] }]);
    await h.settle();
  });
  afterEach(() => h.close());

  it("shows the catalog owner what was not granted, with Reprocess; someone else is refused", async () => {
    const alert = latestWithAction(h.channel, "maria", "assignment.reprocess");
    assert.ok(alert, "the catalog owner got a card with Reprocess");
    const text = textOf(cardOf(alert));
    assert.match(text, /Partly delivered: Business Analyst for Ana/);
    assert.match(text, /Not granted: Salesforce/);
    assert.match(text, /403 Forbidden/);
    await h.channel.say("ben", "help");
    const card = h.channel.activities(h.channel.conversationOf("ben")).at(-1)!;
    const answer = await h.channel.invoke("ben", card.id, "assignment.reprocess", {
      assignmentId: "asg-ana",
    });
    assert.match(textOf(invokeCard(answer)), /Only catalog owners can do this/);
    assert.equal(h.provisioner.applied.length, 0, "nothing was granted for someone who is not an owner");
  });

  it("grants what failed on the owner's Reprocess and answers with the delivered card", async () => {
    const alert = latestWithAction(h.channel, "maria", "assignment.reprocess")!;
    const data = actionData(cardOf(alert), "assignment.reprocess");
    const answer = invokeCard(await h.channel.invoke("maria", alert.id, "assignment.reprocess", data));
    assert.match(textOf(answer), /Delivered: Business Analyst for Ana/);
    assert.equal(actionData(answer, "assignment.reprocess"), undefined);
    assert.deepEqual(
      h.provisioner.applied.map((op) => `${op.action} ${op.role.displayName}`),
      ["grant Salesforce"],
    );
    assert.equal((await h.stores.requests.get("req-ana"))!.value.state, "delivered");
  });
});
