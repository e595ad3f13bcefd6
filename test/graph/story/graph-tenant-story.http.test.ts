/**
 * Issue 11's story in Graph mode, end to end over HTTP: the desk as src/main.ts builds it with
 * DIRECTORY=graph (Graph directory, provisioner, invitations, app installer, sign-in activity), on
 * Azurite, against the loopback Graph server's realistic tenant, its chats through a Teams-shaped
 * Bot Connector that answers 403 to a first message for someone who has not got the app. The clock
 * is moved, never slept on. The steps run in order and build on each other.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import { GOVERNANCE_CHECK_MS } from "../../../src/adapters/cache/cached-governance-store";
import type { Assignment } from "../../../src/domain/model";
import { addDays } from "../../../src/domain/time";
import type { RecordedActivity } from "../../../src/local-channel";
import {
  actionData,
  cardOf,
  invokeCard,
  latestWithAction,
  textOf as cardText,
} from "../../bot/support/cards";
import { assign, type Desk } from "../../lifecycle-chat/support/desk";
import type { LocalDesk } from "../../support/desk";
import { advancePast, reviewOf } from "../../lifecycle-chat/support/reviews";
import { CATALOG_APP_ID, startGraphDesk, type GraphDesk } from "./graph-desk";
import { writeStoryGovernance, type StoryGovernance } from "./story-governance";
import { STORY, seedStoryTenant } from "./story-tenant";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Card text without the zero-width spaces views put after "@" (no accidental mentions or links). */
const textOf = (card: unknown) => cardText(card).replace(/\u200b/g, "");

describe("Graph mode against a realistic tenant: the issue 11 story over HTTP", function () {
  this.timeout(60_000);
  let files: StoryGovernance;
  let d: GraphDesk;
  /** What the lifecycle-chat helpers take: the running desk and the channel people type in. */
  let desk: Desk;
  let reviewStart: string;

  before(async () => {
    // The review's first occurrence: a day after the desk starts, on the minute.
    reviewStart = new Date(Math.ceil((Date.now() + DAY) / MINUTE) * MINUTE).toISOString();
    files = writeStoryGovernance(reviewStart);
    d = await startGraphDesk({
      seed: (tenant, now) => seedStoryTenant(tenant, now, CATALOG_APP_ID),
      governanceDir: files.initial,
    });
    // Local mode (no Bot Framework token checks) also mounts the chat page, unused here.
    desk = { app: d.app as LocalDesk, channel: d.channel, stop: () => d.stop() };
  });
  after(async () => {
    await d?.stop();
    if (files) rmSync(path.dirname(files.initial), { recursive: true, force: true });
  });

  /** Moves the clock and runs the due work, as the scheduler would at that time. */
  const advance = async (ms: number) => {
    d.app.clock.advance(ms);
    await d.app.scheduler.sweepOnce();
  };
  const holders = (groupId: string) => [...d.tenant.groups.get(groupId)!.members].sort();
  const delivered = async (userId: string, packageId: string): Promise<Assignment | undefined> =>
    (await d.app.deps.assignments.listForUser(userId)).find(
      (a) => a.packageId === packageId && a.state === "delivered",
    );
  /** The newest message in someone's chat whose card says `text` (waits for it). */
  const saying = (userId: string, text: string | RegExp): Promise<RecordedActivity> =>
    d.channel.waitFor(() =>
      [...d.channel.activities(d.channel.conversationOf(userId))].reverse().find((a) => {
        const t = textOf(cardOf(a));
        return typeof text === "string" ? t.includes(text) : text.test(t);
      }),
    );
  async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
    for (let i = 0; i < 100; i++) {
      const found = await check();
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`never: ${what}`);
  }
  /** Someone opens a package's form from its card and submits it; returns the answer card's text. */
  async function request(userId: string, typed: string, fields: Record<string, string> = {}) {
    await d.channel.say(userId, typed);
    const pkg = await saying(userId, "What it grants");
    assert.equal(
      (await d.channel.invoke(userId, pkg.id, "request.form", actionData(cardOf(pkg), "request.form")!))
        .status,
      200,
    );
    const form = latestWithAction(d.channel, userId, "request.submit")!;
    const answer = await d.channel.invoke(userId, form.id, "request.submit", {
      ...actionData(cardOf(form), "request.submit")!,
      ...fields,
    });
    return textOf(invokeCard(answer));
  }
  async function approve(userId: string): Promise<RecordedActivity> {
    const card = await saying(userId, "Approval needed");
    const data = actionData(cardOf(card), "approval.approve")!;
    assert.equal((await d.channel.invoke(userId, card.id, "approval.approve", data)).status, 200);
    return card;
  }

  it("§4 governance plan against the tenant refuses a dynamic group grant target, warns about the disabled approver; the valid files are applied and the running desk serves them", async () => {
    const refused = await d.governance("plan", "--dir", files.dynamicTarget);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(
      refused.stderr,
      /packages\/finance-data-lake\.yaml: resources\[0\]\.groupId: All Sales \(dynamic\) \(grp-all-sales-dynamic\) is a dynamic group/,
    );

    const plan = await d.governance("plan", "--dir", files.valid);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(
      plan.stderr,
      /warning: .*erp-project\.yaml: policies\[1\]\.approval\.stages\[0\]\.primaryApprovers\[0\]\.userIds\[0\]: Lee Gu \(u-lee\) is disabled/,
    );
    assert.match(plan.stdout, /Plan: 7 to add, 0 to change, 0 to remove/);
    // The rule's dry run against the tenant: Finance Staff's analysts, the nested group's too.
    assert.match(plan.stdout, /would add 2: Pat Quinn, Olga Park/);

    const applied = await d.governance("apply", "--dir", files.valid, "--actor", STORY.irvin);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /Applied \d+ change\(s\)/);

    // The desk never restarted: past the version check it serves the new packages.
    d.app.clock.advance(GOVERNANCE_CHECK_MS + 1000);
    await d.channel.say(STORY.fred, "I need access to Finance Reports");
    assert.match(textOf(cardOf(await saying(STORY.fred, "What it grants"))), /Finance Reports/);
  });

  it("§3 Fred's manager never opened the bot: Teams refuses, the app is installed for Nestor through Graph and his approval card arrives; §5 the grants are read back and the access card says verified", async () => {
    const answer = await request(STORY.fred, "I need access to Finance Reports");
    assert.match(answer, /Request submitted: Finance Reports/);

    const card = await approve(STORY.nestor);
    assert.match(textOf(cardOf(card)), /Fred Ito/);
    assert.ok(d.refusals.includes(STORY.nestor), "Teams refused the first message to Nestor");
    assert.deepEqual([...d.tenant.installedApps.get(STORY.nestor)!.values()], [CATALOG_APP_ID]);
    const installs = d.graph.log.filter(
      (c) => c.method === "POST" && c.url.includes("/teamwork/installedApps"),
    );
    assert.deepEqual(
      installs.map((c) => `${c.url.split("?")[0]} ${c.status}`),
      [`/users/${STORY.nestor}/teamwork/installedApps 201`],
    );

    const granted = await eventually(
      () => delivered(STORY.fred, "finance-reports"),
      "Fred's access delivered",
    );
    assert.deepEqual(holders(STORY.financeReports), [STORY.fred]);
    const bi = d.tenant.servicePrincipals.get(STORY.biApp)!.assignments;
    assert.deepEqual(
      bi.map((a) => [a.principalId, a.appRoleId]),
      [[STORY.fred, STORY.biReader]],
    );
    assert.ok(
      granted.resources.every((r) => r.status === "granted" && r.verifiedAt),
      "every grant read back",
    );
    const told = await saying(STORY.fred, "Verified in the directory");
    assert.match(textOf(cardOf(told)), /Granted, verified/);
  });

  it("§2 Christie invites a Fabrikam partner to ERP Project; after Megan approves he is invited through POST /invitations, assigned, and Christie is told", async () => {
    await d.channel.say(STORY.christie, "invite tomas@fabrikam.com to ERP Project");
    const form = await saying(
      STORY.christie,
      /tomas@fabrikam\.com of Fabrikam, invited as a guest once approved/,
    );
    const submit = actionData(cardOf(form), "request.submit")!;
    assert.equal(submit.policyId, "erp-partners");
    const answer = await d.channel.invoke(STORY.christie, form.id, "request.submit", {
      ...submit,
      justification: "Tomas leads Fabrikam's data migration",
    });
    assert.match(textOf(invokeCard(answer)), /Request submitted: ERP Project/);
    assert.equal(d.tenant.invitations.length, 0, "nobody is invited before approval");

    assert.match(textOf(cardOf(await approve(STORY.megan))), /tomas@fabrikam\.com/);
    const told = await saying(STORY.christie, "tomas@fabrikam.com now has ERP Project");
    assert.ok(told);
    assert.deepEqual(
      d.tenant.invitations.map((i) => [i.email, i.sendMessage]),
      [["tomas@fabrikam.com", true]],
    );
    const tomas = d.tenant.users.get(d.tenant.invitations[0]!.userId)!;
    assert.equal(tomas.userType, "Guest");
    assert.ok(holders(STORY.erpUsers).includes(tomas.id), "Tomas is a member of ERP Project Members");
    const access = await eventually(() => delivered(tomas.id, "erp-project"), "Tomas's access delivered");
    assert.equal(access.policyId, "erp-partners");
  });

  it("§4 the auto-assignment rule (-match, memberOf -any, nested groups) adds Finance Staff's analysts and nobody else", async () => {
    await advance(MINUTE);
    await eventually(async () => holders(STORY.financeLake).length === 2 || undefined, "the rule's grants");
    assert.deepEqual(holders(STORY.financeLake), [STORY.olga, STORY.pat].sort());
    for (const id of [STORY.olga, STORY.pat])
      assert.equal((await delivered(id, "finance-data-lake"))?.policyId, "finance-lake-analysts");
    for (const id of [STORY.nestor, STORY.fred, STORY.adele])
      assert.equal(await delivered(id, "finance-data-lake"), undefined, `${id} is not added`);
  });

  it("§1 the monthly review reads sign-in activity: recent keeps, old is recommended for removal, no data (null) is 'no recommendation'; §3 nobody answers for 3 days and the fallback reviewer gets it; at the end only the user with old sign-in data loses access", async () => {
    // Olga and Pat hold Finance Reports too (a direct assignment, as an assignment manager makes).
    await assign(desk, STORY.olga, "finance-reports");
    await assign(desk, STORY.pat, "finance-reports");
    assert.deepEqual(holders(STORY.financeReports), [STORY.fred, STORY.olga, STORY.pat].sort());

    await advancePast(desk, reviewStart);
    const review = await reviewOf(desk, "finance-reports");
    const byUser = new Map(review.items.map((i) => [i.userId, i]));
    assert.equal(byUser.get(STORY.fred)?.recommendation, "approve");
    assert.equal(byUser.get(STORY.olga)?.recommendation, "deny");
    assert.equal(byUser.get(STORY.pat)?.recommendation, "none");
    assert.match(byUser.get(STORY.pat)!.recommendationReason, /No sign-in data/);
    assert.ok(
      d.graph.log.some((c) => c.url.includes("signInActivity")),
      "sign-in activity was read",
    );
    const nestors = await saying(STORY.nestor, "Access review: Finance Reports");
    assert.match(textOf(cardOf(nestors)), /No recommendation \(No sign-in data/);

    // Nestor does not respond: after 3 days Irvin, the fallback reviewer, gets the review, not before.
    const escalateAt = addDays(review.startAt, 3);
    d.app.clock.advance(Date.parse(escalateAt) - d.app.clock.now().getTime() - HOUR);
    await d.app.scheduler.sweepOnce();
    assert.equal((await reviewOf(desk, "finance-reports")).escalatedAt, undefined, "not before 3 days");
    await advancePast(desk, escalateAt);
    const irvins = await saying(STORY.irvin, "Access review: Finance Reports");
    const escalated = await reviewOf(desk, "finance-reports");
    assert.ok(escalated.items.every((i) => i.reviewers.includes(STORY.irvin)));
    const trail = await d.app.deps.audit.query({ subject: `review:${review.id}`, limit: 50 });
    assert.equal(trail.filter((e) => e.action === "review.escalated").length, 1);

    // Irvin accepts the recommendations: Fred kept, Olga denied; Pat's "no data" stays open.
    const accept = actionData(cardOf(irvins), "review.acceptRecommendations")!;
    const accepted = await d.channel.invoke(STORY.irvin, irvins.id, "review.acceptRecommendations", {
      ...accept,
      reviewReason: "Following the sign-in recommendations",
    });
    assert.equal(accepted.status, 200);
    const decided = new Map(
      (await reviewOf(desk, "finance-reports")).items.map((i) => [i.userId, i.decision]),
    );
    assert.equal(decided.get(STORY.fred)?.outcome, "approve");
    assert.equal(decided.get(STORY.olga)?.outcome, "deny");
    assert.equal(decided.get(STORY.pat), undefined, "no data is never decided by recommendation");

    // At the end, ifNoResponse: recommendation keeps Pat; Olga's grants are removed in the tenant.
    await advancePast(desk, addDays(reviewStart, 7));
    const done = await eventually(async () => {
      const r = await reviewOf(desk, "finance-reports");
      return r.items.every((i) => i.applied) ? r : undefined;
    }, "the review applied");
    assert.deepEqual(Object.fromEntries(done.items.map((i) => [i.userId, i.applied])), {
      [STORY.fred]: "kept",
      [STORY.olga]: "removed",
      [STORY.pat]: "kept",
    });
    await eventually(async () => holders(STORY.financeReports).length === 2 || undefined, "Olga removed");
    assert.deepEqual(holders(STORY.financeReports), [STORY.fred, STORY.pat].sort());
    const bi = d.tenant.servicePrincipals.get(STORY.biApp)!.assignments.map((a) => a.principalId);
    assert.deepEqual(bi.sort(), [STORY.fred, STORY.pat].sort());
  });

  it("§2 when the partner's last assignment ends, Fabrikam's guest lifecycle blocks his sign-in, then deletes the guest after 2 days; Christie is told each time", async () => {
    const tomasId = d.tenant.invitations[0]!.userId;
    const access = (await delivered(tomasId, "erp-project"))!;
    assert.ok(access.endAt, "partners' access lasts 10 days");
    await advancePast(desk, access.endAt);
    await eventually(
      async () => !holders(STORY.erpUsers).includes(tomasId) || undefined,
      "Tomas's access removed",
    );
    assert.equal(d.tenant.users.get(tomasId)?.accountEnabled, true, "not blocked before the hourly run");

    await advance(HOUR + MINUTE);
    assert.equal(d.tenant.users.get(tomasId)?.accountEnabled, false, "sign-in blocked (PATCH /users/{id})");
    assert.ok(await saying(STORY.christie, "tomas@fabrikam.com can no longer sign in"));
    const blocked = await d.app.deps.audit.query({ subject: `user:${tomasId}`, limit: 20 });
    assert.ok(
      blocked.some((e) => e.action === "guest.signInBlocked" && e.details?.organizationId === "fabrikam"),
    );

    await advance(DAY);
    assert.ok(d.tenant.users.has(tomasId), "kept until deleteAfterDays has passed");
    await advance(DAY + HOUR);
    assert.equal(d.tenant.users.has(tomasId), false, "the guest account is deleted (DELETE /users/{id})");
    assert.ok(await saying(STORY.christie, "tomas@fabrikam.com's guest account was deleted"));
    const trail = await d.app.deps.audit.query({ subject: `user:${tomasId}`, limit: 20 });
    assert.equal(trail.filter((e) => e.action === "guest.deleted").length, 1);
    // Guests Access Desk did not invite stay as they are.
    assert.equal(d.tenant.users.get(STORY.anna)?.accountEnabled, true);
    assert.equal(d.tenant.users.get(STORY.rob)?.accountEnabled, true);
  });

  it("§3 when Graph refuses to install the app for Gus's manager (403, permission missing), the stage's fallback approver gets the card, Gus hears who could not be reached, and Irvin's approval delivers", async () => {
    const answer = await request(STORY.gus, "I need access to Finance Reports");
    assert.match(answer, /Request submitted: Finance Reports/);
    const card = await approve(STORY.irvin);
    assert.match(textOf(cardOf(card)), /Gus Moreno/);
    assert.ok(
      d.graph.log.some(
        (c) =>
          c.method === "POST" &&
          c.url.startsWith(`/users/${STORY.hana}/teamwork/installedApps`) &&
          c.status === 403,
      ),
      "Graph refused the install for Hana",
    );
    assert.equal(d.tenant.installedApps.get(STORY.hana), undefined);
    assert.match(textOf(cardOf(await saying(STORY.gus, "Couldn't reach"))), /Couldn't reach Hana Sato/);
    const [gusRequest] = await d.app.deps.requests.listForUser(STORY.gus);
    const trail = await d.app.deps.audit.query({ subject: `request:${gusRequest!.id}`, limit: 50 });
    assert.ok(trail.some((e) => e.action === "stage.fallbackAdded" && e.details?.unreachable === STORY.hana));
    await eventually(() => delivered(STORY.gus, "finance-reports"), "Gus's access delivered");
    assert.ok(holders(STORY.financeReports).includes(STORY.gus));
  });
});
