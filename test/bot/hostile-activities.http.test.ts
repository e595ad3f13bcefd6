import assert from "node:assert/strict";
import type { MemoryStores } from "../../src/adapters/memory";
import { type HttpHarness, startOverHttp } from "./support/harness";
import { actionData, cardOf, invokeCard, latestCard, textOf } from "./support/cards";
import { requestBusinessAnalyst } from "./support/flow";
import { hostileActivities } from "./support/hostile-activities";

/** Everything a store holds, as plain JSON (Maps included), to compare before and after. */
function snapshot(value: unknown): unknown {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [k, snapshot(v)]);
  if (Array.isArray(value)) return value.map(snapshot);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(v)]));
  }
  return value;
}

/**
 * What the fuzz may change: refused card actions are audited, and a turn from a signed-in person
 * refreshes where to reach them (as every message does). Nothing else.
 */
async function state(stores: MemoryStores) {
  const { audit, conversations, ...rest } = stores;
  const entries = await audit.query({ limit: 100_000 });
  const c = snapshot(conversations) as Record<string, unknown>;
  return {
    stores: snapshot(rest),
    audit: entries.filter((e) => e.action !== "cardAction.refused" && e.action !== "request.refused"),
    teams: c.teams,
    cards: c.cards,
  };
}

describe("bot over HTTP: hostile activities", function () {
  this.timeout(120_000);
  let h: HttpHarness;
  afterEach(() => h.close());

  it("answers a few hundred malformed activities without a 5xx and changes no stored state", async () => {
    // Hundreds of answers into one chat: the pacer would spread them over minutes, as Teams' limits
    // ask; what this test is about is the answers, so it runs without limits.
    h = await startOverHttp({ pacing: { conversationLimits: [], appLimits: [] } });
    await h.channel.install("ana");
    await h.channel.install("ben");
    await requestBusinessAnalyst(h);
    const approval = latestCard(h.channel, "maria", "Approval needed")!;
    // Ben is no approver: even the intact activity is refused, so any change would be a bug.
    await h.channel.say("ben", "help");
    const benCard = h.channel.activities(h.channel.conversationOf("ben")).at(-1)!;
    const activities = hostileActivities(
      {
        serviceUrl: h.channel.serviceUrl,
        tenantId: "tenant-local",
        card: {
          activityId: benCard.id,
          conversationId: h.channel.conversationOf("ben"),
          userId: "ben",
          verb: "approval.approve",
          data: actionData(cardOf(approval), "approval.approve") as Record<string, never>,
        },
      },
      420,
      20261123,
    );
    await h.settle();
    const before = await state(h.stores);

    const failures: string[] = [];
    for (const { label, activity } of activities) {
      const response = await fetch(`${h.botUrl}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      if (response.status >= 500) failures.push(`${response.status} ${label}: ${text.slice(0, 120)}`);
      else if (response.status >= 400) assert.ok(text.length > 0, `a ${response.status} says why (${label})`);
    }
    await h.settle();
    assert.deepEqual(failures, [], `${failures.length} of ${activities.length} got a 5xx`);
    assert.deepEqual(await state(h.stores), before);

    await h.channel.say("ana", "help");
    assert.ok(latestCard(h.channel, "ana", "What I can do"), "the bot still answers");
  });

  it("answers an Action.Execute invoke without a value with an error card", async () => {
    h = await startOverHttp();
    await h.channel.install("maria");
    const response = await fetch(`${h.botUrl}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "invoke",
        name: "adaptiveCard/action",
        serviceUrl: h.channel.serviceUrl,
        channelId: "msteams",
        from: { id: "29:maria", aadObjectId: "maria" },
        recipient: { id: "28:access-desk" },
        conversation: { id: h.channel.conversationOf("maria") },
      }),
    });
    assert.equal(response.status, 200);
    const card = invokeCard({ status: 200, body: await response.json() });
    assert.match(textOf(card), /The card action sent no value/);
  });

  it("answers an invoke the bot does not handle with 400 and a message", async () => {
    h = await startOverHttp();
    const response = await fetch(`${h.botUrl}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        type: "invoke",
        name: "composeExtension/query",
        value: {},
        serviceUrl: h.channel.serviceUrl,
        channelId: "msteams",
        from: { id: "29:maria", aadObjectId: "maria" },
        recipient: { id: "28:access-desk" },
        conversation: { id: h.channel.conversationOf("maria") },
      }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error?: { message?: string } };
    assert.match(body.error?.message ?? "", /composeExtension\/query/);
  });
});
