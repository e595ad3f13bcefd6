import assert from "node:assert/strict";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import type { RunningAzurite } from "../../src/dev/azurite";
import { actionData, cardOf, invokeCard, textOf } from "../bot/support/cards";
import {
  DAY,
  HOUR,
  SHORT_EXPIRY_DIR,
  type Desk,
  advance,
  assign,
  cardSaying,
  startDesk,
  startSharedAzurite,
  waitForVersion,
} from "./support/desk";

const { fred, managerOfFred } = DEMO;
const BA = DEMO.packages.businessAnalyst;

describe("expiry in chat: a package that lasts 2 days", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let desk: Desk;

  before(async () => {
    azurite = await startSharedAzurite();
  });
  after(() => azurite.stop());
  beforeEach(async () => {
    desk = await startDesk(azurite, { GOVERNANCE_DIR: SHORT_EXPIRY_DIR });
    await desk.channel.install(fred);
  });
  afterEach(() => desk.stop());

  it("reminds the user a day before the end, then removes the access and tells the user and the channel", async () => {
    const directory = desk.app.deps.directory;
    const assignment = await assign(desk, fred, BA);
    assert.ok((await directory.getUserGroupIds(fred)).includes(DEMO.groups.financeReports));

    await advance(desk, 25 * HOUR);
    const reminder = await cardSaying(desk, fred, "Your access to Business Analyst ends soon");
    assert.match(textOf(cardOf(reminder)), /hours left/);
    const extend = actionData(cardOf(reminder), "assignment.extend");
    assert.deepEqual(Object.keys(extend ?? {}).sort(), ["assignmentId", "revision"]);
    assert.equal(extend?.assignmentId, assignment.id);

    await advance(desk, DAY);
    await cardSaying(desk, fred, "Your access expired: Business Analyst");
    const ended = (await desk.app.deps.assignments.get(assignment.id))!.value;
    assert.equal(ended.state, "expired");
    const groups = await directory.getUserGroupIds(fred);
    assert.ok(!groups.includes(DEMO.groups.financeReports), "Finance Reports membership removed");
    assert.ok(!groups.includes(DEMO.groups.analytics), "Analytics membership removed");

    const post = await desk.channel.waitFor(() =>
      desk.channel
        .channelActivities(DEMO.channel.channelId)
        .find((a) => /Fred Fischer no longer has Business Analyst \(expired\)/.test(textOf(cardOf(a)))),
    );
    assert.ok(post);
    // The reminder's copy lost its Extend button.
    await waitForVersion(desk, fred, reminder.id, (text) => /expired/.test(text));
    const closed = desk.channel
      .activities(desk.channel.conversationOf(fred))
      .find((a) => a.id === reminder.id);
    assert.equal(actionData(cardOf(closed), "assignment.extend"), undefined);
    const audit = await desk.app.deps.audit.query({ subject: `assignment:${assignment.id}` });
    assert.ok(audit.some((e) => e.action === "assignment.expired"));
  });

  it("extends at once from the reminder when the policy needs no approval, and the access stays", async () => {
    const assignment = await assign(desk, fred, DEMO.packages.accounting);
    await advance(desk, 25 * HOUR);
    const reminder = await cardSaying(desk, fred, "Your access to Accounting ends soon");
    const data = actionData(cardOf(reminder), "assignment.extend")!;

    const answer = await desk.channel.invoke(fred, reminder.id, "assignment.extend", data);
    assert.equal(answer.status, 200);
    assert.match(textOf(invokeCard(answer)), /Extended: Accounting/);
    const extended = (await desk.app.deps.assignments.get(assignment.id))!.value;
    assert.ok(Date.parse(extended.endAt!) > Date.parse(assignment.endAt!), "the end moved later");

    await advance(desk, DAY);
    assert.equal((await desk.app.deps.assignments.get(assignment.id))!.value.state, "delivered");
    await cardSaying(desk, fred, "Extended: Accounting");
  });

  it("turns Extend into an extension request when the policy wants approval, and the manager is asked", async () => {
    const assignment = await assign(desk, fred, BA);
    await advance(desk, 25 * HOUR);
    const reminder = await cardSaying(desk, fred, "Your access to Business Analyst ends soon");
    const data = actionData(cardOf(reminder), "assignment.extend")!;

    const missing = await desk.channel.invoke(fred, reminder.id, "assignment.extend", data);
    assert.match(textOf(invokeCard(missing)), /Say why you need the access longer/);

    const asked = await desk.channel.invoke(fred, reminder.id, "assignment.extend", {
      ...data,
      extendReason: "Quarter-end reporting runs another week",
    });
    assert.equal(asked.status, 200);
    const requests = await desk.app.deps.requests.listForUser(fred);
    const extension = requests.find((r) => r.type === "userExtend" && r.assignmentId === assignment.id);
    assert.ok(extension, "an extension request was made");
    assert.equal(extension.state, "pendingApproval");

    const approval = await cardSaying(desk, managerOfFred, "Approval needed");
    assert.match(textOf(cardOf(approval)), /Quarter-end reporting runs another week/);
    assert.ok(actionData(cardOf(approval), "approval.approve"));
  });
});
