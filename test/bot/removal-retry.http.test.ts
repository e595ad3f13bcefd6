import assert from "node:assert/strict";
import type { Assignment } from "../../src/domain/model";
import type { Provisioner, ProvisioningOperation, ProvisioningOutcome } from "../../src/ports/provisioner";
import { type HttpHarness, START, startOverHttp } from "./support/harness";
import { actionData, cardOf, invokeCard, latestCard, latestWithAction, textOf } from "./support/cards";

const ROLES = [
  { kind: "groupMember" as const, groupId: "g-ba", displayName: "Business Analysts" },
  {
    kind: "appRole" as const,
    servicePrincipalId: "sp-salesforce",
    appRoleId: "role-analyst",
    displayName: "Salesforce",
    roleName: "Analyst",
  },
];

const anasAccess: Assignment = {
  id: "asg-ana",
  userId: "ana",
  packageId: "pkg-ba",
  policyId: "pol-ba",
  requestId: "req-ana",
  state: "delivered",
  startAt: START,
  endAt: "2026-12-23T10:00:00.000Z",
  resources: ROLES.map((role) => ({ role, status: "granted" as const, attempts: 1, heldBefore: false })),
  remindersSent: [],
  createdAt: START,
  updatedAt: START,
  revision: 1,
};

describe("bot over HTTP: a removal that failed, and the catalog owner's Retry", function () {
  this.timeout(30_000);
  let h: HttpHarness;
  /** Revokes of Salesforce are refused while this is set. */
  let refuse: ProvisioningOutcome | undefined;

  beforeEach(async () => {
    h = await startOverHttp();
    refuse = { status: "failed", retryable: false, error: "403 Insufficient privileges" };
    const grantAll = h.provisioner.apply.bind(h.provisioner);
    (h.provisioner as Provisioner).apply = async (ops: ProvisioningOperation[]) => {
      const outcomes = await grantAll(ops);
      return ops.map((op, i) =>
        op.action === "revoke" && op.role.displayName === "Salesforce" && refuse ? refuse : outcomes[i]!,
      );
    };
    for (const user of ["ana", "maria", "ben"]) await h.channel.install(user);
    await h.stores.assignments.create(anasAccess);
  });
  afterEach(() => h.close());

  async function anaRemovesHerAccess(): Promise<void> {
    await h.channel.say("ana", "help");
    const card = h.channel.activities(h.channel.conversationOf("ana")).at(-1)!;
    await h.channel.invoke("ana", card.id, "assignment.remove", { assignmentId: "asg-ana", revision: 1 });
    await h.settle();
  }

  const toldRemoved = () => latestCard(h.channel, "ana", /Your access was removed/);

  it("tells the catalog owner 'removal failed' with Retry, and nobody that the access was removed", async () => {
    await anaRemovesHerAccess();
    const alert = latestWithAction(h.channel, "maria", "removal.retry");
    assert.ok(alert, "the catalog owner got a card with Retry");
    const text = textOf(cardOf(alert));
    assert.match(text, /Removal failed: Business Analyst for Ana/);
    assert.match(text, /still has it/);
    assert.match(text, /Still granted: Salesforce/);
    assert.match(text, /403 Insufficient privileges/);
    assert.equal(toldRemoved(), undefined, "Ana is not told it was removed while she still has it");
    const stored = (await h.stores.assignments.get("asg-ana"))!.value;
    assert.equal(stored.removal?.status, "removalFailed");
    assert.deepEqual(actionData(cardOf(alert), "removal.retry"), {
      assignmentId: "asg-ana",
      revision: stored.revision,
    });
  });

  it("refuses Retry from someone who is not a catalog owner", async () => {
    await anaRemovesHerAccess();
    await h.channel.say("ben", "help");
    const card = h.channel.activities(h.channel.conversationOf("ben")).at(-1)!;
    const answer = await h.channel.invoke("ben", card.id, "removal.retry", {
      assignmentId: "asg-ana",
      revision: 2,
    });
    assert.match(textOf(invokeCard(answer)), /Only catalog owners can do this/);
    assert.equal((await h.stores.assignments.get("asg-ana"))!.value.removal?.status, "removalFailed");
  });

  it("takes the access away on the owner's Retry; then Ana is told and the card loses its button", async () => {
    await anaRemovesHerAccess();
    const alert = latestWithAction(h.channel, "maria", "removal.retry")!;
    refuse = undefined; // the owner fixed the permission
    const answer = await h.channel.invoke(
      "maria",
      alert.id,
      "removal.retry",
      actionData(cardOf(alert), "removal.retry"),
    );
    const answered = invokeCard(answer);
    assert.match(textOf(answered), /Removed: Business Analyst for Ana/);
    assert.equal(actionData(answered, "removal.retry"), undefined);
    await h.settle();
    assert.ok(toldRemoved(), "Ana is told now that the access is gone");
    const stored = (await h.stores.assignments.get("asg-ana"))!.value;
    assert.equal(stored.removal?.status, "completed");
    assert.equal(stored.resources.find((r) => r.role.displayName === "Salesforce")?.status, "revoked");
  });
});
