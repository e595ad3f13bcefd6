import assert from "node:assert/strict";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import type { RunningAzurite } from "../../src/dev/azurite";
import { actionData, cardOf } from "../bot/support/cards";
import { startLoopbackForwarder } from "../support/loopback-forwarder";
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
} from "./support/desk";

const { fred } = DEMO;
const BA = DEMO.packages.businessAnalyst;

/**
 * A Bot Connector in front of the local channel that answers the next `failUpdates` card updates
 * (PUT on an activity) or `failSends` messages (POST) with 502, as a Teams front end having a bad
 * moment would.
 */
async function flakyConnector(target: string) {
  const state = { failUpdates: 0, failSends: 0, failed: 0 };
  const forwarder = await startLoopbackForwarder(target, ({ method, url }) => {
    const update = method === "PUT" && /\/activities\//.test(url);
    const send = method === "POST" && /\/activities/.test(url);
    if (!((update && state.failUpdates > 0) || (send && state.failSends > 0))) return undefined;
    if (update) state.failUpdates -= 1;
    else state.failSends -= 1;
    state.failed += 1;
    return {
      status: 502,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ error: { code: "BadGateway", message: "try again" } }),
    };
  });
  return { state, url: forwarder.url, close: forwarder.close };
}

describe("messages and card updates the Bot Connector refuses are tried again", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let desk: Desk;
  let connector: Awaited<ReturnType<typeof flakyConnector>>;

  before(async () => {
    azurite = await startSharedAzurite();
  });
  after(() => azurite.stop());
  beforeEach(async () => {
    desk = await startDesk(azurite, { GOVERNANCE_DIR: SHORT_EXPIRY_DIR });
    // Fred's chat is reached through the flaky connector: his conversation reference carries it.
    connector = await flakyConnector(desk.channel.serviceUrl);
    desk.channel.serviceUrl = connector.url;
    await desk.channel.install(fred);
  });
  afterEach(async () => {
    await desk.stop();
    await connector.close();
  });

  it("takes the Extend button off an expiry reminder once the connector answers again", async () => {
    await assign(desk, fred, BA);
    await advance(desk, 25 * HOUR);
    const reminder = await cardSaying(desk, fred, "Your access to Business Analyst ends soon");
    assert.ok(actionData(cardOf(reminder), "assignment.extend"), "the reminder offers Extend");

    // Every card update fails while the access ends (the Bot Framework client's own retries
    // included); the "expired" message, queued behind them in Fred's chat, gets through.
    connector.state.failUpdates = 1_000;
    await advance(desk, DAY);
    await cardSaying(desk, fred, "Your access expired: Business Analyst", 20_000);
    await desk.channel.waitFor(() => (connector.state.failed > 0 ? true : undefined), 20_000);
    // The Bot Framework client tries a 5xx a few times itself: wait until it gave up.
    for (let seen = -1; seen !== connector.state.failed; ) {
      seen = connector.state.failed;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
    connector.state.failUpdates = 0;
    const stale = desk.channel
      .activities(desk.channel.conversationOf(fred))
      .find((a) => a.id === reminder.id);
    assert.ok(actionData(cardOf(stale), "assignment.extend"), "the copy still offers Extend after the 502s");

    // The next sweep runs the journaled notifications again: the copy is brought up to date.
    await advance(desk, 10 * 60_000);
    const fixed = await desk.channel.waitFor(() => {
      const copy = desk.channel
        .activities(desk.channel.conversationOf(fred))
        .find((a) => a.id === reminder.id);
      return copy && !actionData(cardOf(copy), "assignment.extend") ? copy : undefined;
    });
    assert.ok(fixed, "the reminder lost its Extend button");
    const told = desk.channel
      .activities(desk.channel.conversationOf(fred))
      .filter((a) => JSON.stringify(cardOf(a) ?? "").includes("Your access expired"));
    assert.equal(told.length, 1, "the rerun did not tell Fred twice");
    const until = new Date(desk.app.clock.now().getTime() + 365 * DAY).toISOString();
    const due = await desk.app.deps.due.listDue(until, 1000);
    assert.deepEqual(
      due.filter((d) => d.value.kind === "effects"),
      [],
      "no notification batch is left due",
    );
  });

  it("sends an expiry reminder the connector refused once it answers again, once", async () => {
    await assign(desk, fred, BA);
    connector.state.failSends = 1_000;
    await advance(desk, 25 * HOUR);
    await desk.channel.waitFor(() => (connector.state.failed > 0 ? true : undefined), 20_000);
    for (let seen = -1; seen !== connector.state.failed; ) {
      seen = connector.state.failed;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
    const reminders = () =>
      desk.channel
        .activities(desk.channel.conversationOf(fred))
        .filter((a) => JSON.stringify(cardOf(a) ?? "").includes("Your access to Business Analyst ends soon"));
    assert.equal(reminders().length, 0, "the refused reminder is not in the chat");

    connector.state.failSends = 0;
    await advance(desk, 10 * 60_000);
    await cardSaying(desk, fred, "Your access to Business Analyst ends soon");
    await advance(desk, 10 * 60_000);
    assert.equal(reminders().length, 1, "the reminder arrived once");
  });
});
