import assert from "node:assert/strict";
import type { Assignment } from "../../src/domain/model";
import { type HttpHarness, START, startOverHttp } from "./support/harness";
import { invokeCard, textOf } from "./support/cards";

const access = (id: string, userId: string, packageId: string, policyId: string): Assignment => ({
  id,
  userId,
  packageId,
  policyId,
  requestId: `req-${id}`,
  state: "delivered",
  startAt: START,
  endAt: "2026-12-23T10:00:00.000Z",
  resources: [],
  remindersSent: [],
  createdAt: START,
  updatedAt: START,
  revision: 1,
});

describe("bot over HTTP: removing access", function () {
  this.timeout(30_000);
  let h: HttpHarness;

  beforeEach(async () => {
    h = await startOverHttp();
    // Business Analyst lets its holders remove it; Salesforce Sales does not.
    await h.stores.assignments.create(access("asg-ana", "ana", "pkg-ba", "pol-ba"));
    await h.stores.assignments.create(access("asg-ben", "ben", "pkg-sales", "pol-sales"));
  });
  afterEach(() => h.close());

  async function remove(userId: string, assignmentId: string): Promise<string> {
    await h.channel.install(userId);
    await h.channel.say(userId, "help");
    const card = h.channel.activities(h.channel.conversationOf(userId)).at(-1)!;
    const answer = await h.channel.invoke(userId, card.id, "assignment.remove", {
      assignmentId,
      revision: 1,
    });
    return textOf(invokeCard(answer));
  }

  it("tells someone removing another person's access that it isn't theirs, who can remove it and what to do", async () => {
    const text = await remove("ben", "asg-ana");
    assert.doesNotMatch(text, /yourself/);
    assert.match(text, /This is someone else's access/);
    assert.match(text, /only the person who has it, or an owner of its catalog, can remove it/);
    assert.match(text, /If it should end, ask one of them\./);
    assert.equal((await h.stores.assignments.get("asg-ana"))!.value.state, "delivered");
  });

  it("names only catalog owners when the person who has it may not remove it either", async () => {
    const text = await remove("ana", "asg-ben");
    assert.match(text, /This is someone else's access: only an owner of its catalog can remove it/);
    assert.equal((await h.stores.assignments.get("asg-ben"))!.value.state, "delivered");
  });

  it("tells a person whose policy keeps removal with the catalog owners who to ask", async () => {
    const text = await remove("ben", "asg-ben");
    assert.match(
      text,
      /Only an owner of its catalog can remove this access; its policy doesn't let the person who has it remove it\. Ask a catalog owner if you no longer need it\./,
    );
    assert.equal((await h.stores.assignments.get("asg-ben"))!.value.state, "delivered");
  });
});
