import assert from "node:assert/strict";
import { type Activity, TestAdapter } from "botbuilder";
import { createApplication } from "../../src/bot";
import { createHarness, type Harness } from "./support/harness";
import { actionData, textOf } from "./support/cards";
import { sampleAssignment } from "../cards/samples";
import { submitAnasRequest } from "../unit/app/support/anas-request";

type Sent = Partial<Activity>;
const cardsOf = (sent: Sent[]) => sent.map((a) => a.attachments?.[0]?.content).filter(Boolean);

describe("bot handlers (TestAdapter)", () => {
  let h: Harness;
  let adapter: TestAdapter;

  beforeEach(async () => {
    h = await createHarness();
    const app = createApplication(h.bot.deps);
    adapter = new TestAdapter(async (context) => {
      await app.run(context);
    });
  });

  async function say(text: string, userId = "ana", name = "Ana Costa"): Promise<Sent[]> {
    const sent: Sent[] = [];
    adapter.activeQueue.length = 0;
    await adapter.send({
      type: "message",
      text,
      from: { id: `29:${userId}`, aadObjectId: userId, name },
      conversation: { id: `a:${userId}`, conversationType: "personal" } as never,
    } as Partial<Activity>);
    while (adapter.activeQueue.length > 0) sent.push(adapter.activeQueue.shift()!);
    return sent;
  }

  it("welcomes a person who installs the app and saves where to reach them", async () => {
    const sent: Sent[] = [];
    await adapter.processActivity({
      type: "conversationUpdate",
      from: { id: "29:ana", aadObjectId: "ana", name: "Ana Costa" },
      recipient: { id: "28:bot", name: "Access Desk" },
      membersAdded: [{ id: "28:bot", name: "Access Desk" }],
      conversation: { id: "a:ana", conversationType: "personal" } as never,
    } as Partial<Activity>);
    while (adapter.activeQueue.length > 0) sent.push(adapter.activeQueue.shift()!);
    assert.match(textOf(cardsOf(sent)[0]), /Hi Ana, I'm Access Desk/);
    assert.deepEqual(actionData(cardsOf(sent)[0], "menu"), { item: "browse" });
    assert.ok(await h.stores.conversations.getUserReference("ana"));
  });

  /** Someone adds the app in their 1:1 chat: what the bot sends back. */
  async function install(userId: string, name: string): Promise<Sent[]> {
    const sent: Sent[] = [];
    await adapter.processActivity({
      type: "conversationUpdate",
      from: { id: `29:${userId}`, aadObjectId: userId, name },
      recipient: { id: "28:bot", name: "Access Desk" },
      membersAdded: [{ id: "28:bot", name: "Access Desk" }],
      conversation: { id: `a:${userId}`, conversationType: "personal" } as never,
    } as Partial<Activity>);
    while (adapter.activeQueue.length > 0) sent.push(adapter.activeQueue.shift()!);
    return sent;
  }

  it("shows an approver who adds the app what waits for them, after the welcome", async () => {
    await submitAnasRequest(h.bot.deps);
    const cards = cardsOf(await install("maria", "Maria Garcia"));
    assert.equal(cards.length, 2, "the welcome, then the approvals waiting");
    assert.match(textOf(cards[0]), /Hi Maria, I'm Access Desk/);
    assert.match(textOf(cards[1]), /Waiting for your approval \(1\)/);
    assert.match(textOf(cards[1]), /Business Analyst: Ana Costa/);
  });

  it("sends only the welcome to someone nothing waits for", async () => {
    await submitAnasRequest(h.bot.deps);
    const cards = cardsOf(await install("ana", "Ana Costa"));
    assert.equal(cards.length, 1);
    assert.match(textOf(cards[0]), /Hi Ana, I'm Access Desk/);
  });

  it("still welcomes someone whose waiting approvals cannot be read, without an error card", async () => {
    await submitAnasRequest(h.bot.deps);
    h.stores.requests.listPendingForApprover = () =>
      Promise.reject(Object.assign(new Error("Service unavailable"), { statusCode: 503 }));
    const cards = cardsOf(await install("maria", "Maria Garcia"));
    assert.equal(cards.length, 1);
    assert.match(textOf(cards[0]), /Hi Maria, I'm Access Desk/);
    assert.ok(await h.stores.conversations.getUserReference("maria"), "where to reach her is saved");
  });

  it("answers help with what to type", async () => {
    const text = textOf(cardsOf(await say("help"))[0]);
    assert.match(text, /What I can do/);
    assert.match(text, /I need access to Salesforce/);
  });

  it("answers unknown input with a short suggestion, never an error", async () => {
    const text = textOf(cardsOf(await say("purple monkey dishwasher"))[0]);
    assert.match(text, /I didn't get that/);
    assert.doesNotMatch(text, /Error|at .*\.ts/);
  });

  it("shows the package card with resources, approvers and duration for one match", async () => {
    const card = cardsOf(await say("I need access to Business Analyst"))[0];
    const text = textOf(card);
    assert.match(text, /Business Analysts: Member/);
    assert.match(text, /Salesforce: App role: Analyst/);
    assert.match(text, /Stage 1: the requester's manager; Stage 2: members of an approver group/);
    assert.match(text, /Access for: 30 days/);
    assert.deepEqual(actionData(card, "request.form"), {
      packageId: "pkg-ba",
      policyId: "pol-ba",
      forRef: "",
    });
  });

  it("reads a bare package name, typo included, as a request for it", async () => {
    const card = cardsOf(await say("buisness analist"))[0];
    assert.match(textOf(card), /Business Analysts: Member/);
    assert.equal((actionData(card, "request.form") as { packageId: string }).packageId, "pkg-ba");
  });

  it("lists what the person can request", async () => {
    const text = textOf(cardsOf(await say("what can I request?"))[0]);
    assert.match(text, /Business Analyst/);
    assert.match(text, /Salesforce Sales/);
  });

  it("suggests only packages Lola holds that the requester may request, never a copy of groups", async () => {
    await h.stores.assignments.create(
      sampleAssignment({ id: "asg_lola", userId: "lola", packageId: "pkg-sales", policyId: "pol-sales" }),
    );
    const card = cardsOf(await say("same access as Lola"))[0];
    const text = textOf(card);
    assert.match(text, /Access like Lola Martin's you can request/);
    assert.match(text, /Salesforce Sales/);
    assert.doesNotMatch(text, /Business Analyst/);
    assert.equal(actionData(card, "request.form")!.packageId, "pkg-sales");
  });

  it("marks packages the person already holds in the list of what they can request", async () => {
    await h.stores.assignments.create(sampleAssignment());
    const text = textOf(cardsOf(await say("what can I request?"))[0]);
    assert.match(text, /Business Analyst[\s\S]*You have this until \{\{DATE\(2026-12-23/);
  });

  it("shows my requests, my access with end dates and my approvals", async () => {
    await h.stores.assignments.create(sampleAssignment());
    assert.match(textOf(cardsOf(await say("my requests"))[0]), /You have no requests yet/);
    const access = cardsOf(await say("my access"))[0];
    assert.match(textOf(access), /Business Analyst[\s\S]*Until \{\{DATE\(2026-12-23/);
    assert.deepEqual(actionData(access, "assignment.extend"), { assignmentId: "asg_1", revision: 3 });
    assert.ok(actionData(access, "assignment.remove"), "the policy lets people remove their own access");
    assert.match(
      textOf(cardsOf(await say("my approvals", "maria", "Maria Silva"))[0]),
      /Nothing is waiting for you/,
    );
  });

  it("offers a manager the package for a direct report with an opaque reference, not a user id", async () => {
    const card = cardsOf(await say("request Business Analyst for Ben", "maria", "Maria Silva"))[0];
    assert.match(textOf(card), /For Ben Okafor/);
    const data = actionData(card, "request.form")!;
    assert.match(String(data.forRef), /^r[0-9a-f]{24}$/);
    assert.doesNotMatch(JSON.stringify(data), /ben/);
  });

  it("refuses to ask on behalf of someone who is not a direct report", async () => {
    const text = textOf(cardsOf(await say("request Business Analyst for Sam Reyes", "ana"))[0]);
    assert.match(text, /isn't one of your direct reports/);
  });
});
