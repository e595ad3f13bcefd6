import assert from "node:assert/strict";
import {
  actionData,
  cardOf,
  invokeCard,
  latestCard,
  latestWithAction,
  textOf as cardText,
} from "../../bot/support/cards";
import { REAL } from "../support/real-tenant";
import { partnerWorld, type PartnerWorld } from "./partner-world";
import { handleDeliveryRetry } from "../../../src/app/handle-request-deadline";

/**
 * Sponsor-initiated external access over HTTP: the bot behind restify, the local Teams-shaped
 * channel, and the Graph adapters against the loopback Graph with a real-looking tenant.
 */
/** A card's text without the zero-width spaces views put after "@" (no accidental mentions or links). */
const textOf = (card: unknown) => cardText(card).replace(/\u200b/g, "");

describe("a sponsor invites a partner in chat (Graph mode, over HTTP)", () => {
  let w: PartnerWorld;
  beforeEach(async () => {
    w = await partnerWorld();
  });
  afterEach(() => w.stop());

  const lastText = (userId: string) => {
    const list = w.channel.activities(w.channel.conversationOf(userId));
    return textOf(cardOf(list.at(-1)));
  };

  it("asks for ERP Project on behalf of tomas@fabrikam.com; after approval he is invited, assigned, and the sponsor told", async () => {
    const { channel } = w;
    await channel.say(REAL.christie, "invte tomas@fabrikam.com to ERP project");
    const form = latestWithAction(channel, REAL.christie, "request.submit");
    assert.ok(form, "the request form for the partner");
    assert.match(textOf(cardOf(form)), /tomas@fabrikam\.com of Fabrikam, invited as a guest once approved/);
    const data = actionData(cardOf(form), "request.submit")!;
    assert.equal(data.policyId, "erp-partners", "the policy for Fabrikam's users");
    assert.equal(w.tenant.invitations.length, 0, "nobody is invited before approval");

    const submitted = await channel.invoke(REAL.christie, form!.id, "request.submit", {
      ...data,
      justification: "Tomas leads Fabrikam's data migration",
      q_role: "Migration lead",
    });
    assert.equal(submitted.status, 200);
    assert.match(textOf(invokeCard(submitted)), /Request submitted: ERP Project/);
    await w.settle();
    const [request] = await w.stores.requests.listForUser(REAL.christie);
    assert.equal(request?.type, "onBehalfAdd");
    assert.equal(request?.requesterId, REAL.christie);
    assert.deepEqual(request?.invitation, {
      email: "tomas@fabrikam.com",
      organizationId: "fabrikam",
      sponsorId: REAL.christie,
    });
    assert.equal(w.tenant.invitations.length, 0, "still nobody invited while the approval is pending");

    const approval = latestCard(channel, REAL.megan, "Approval needed");
    assert.ok(approval, "Megan is asked to approve");
    assert.match(textOf(cardOf(approval)), /tomas@fabrikam\.com/);
    const approve = actionData(cardOf(approval), "approval.approve")!;
    assert.equal((await channel.invoke(REAL.megan, approval!.id, "approval.approve", approve)).status, 200);
    await w.settle();

    // Invited through POST /invitations, then granted in the tenant.
    assert.equal(w.tenant.invitations.length, 1);
    const invitation = w.tenant.invitations[0]!;
    assert.equal(invitation.email, "tomas@fabrikam.com");
    assert.equal(invitation.sendMessage, true);
    const tomas = w.tenant.users.get(invitation.userId)!;
    assert.equal(tomas.userType, "Guest");
    assert.ok(
      w.tenant.groups.get(REAL.erpUsers)!.members.has(tomas.id),
      "assigned: member of ERP Project Members",
    );

    const delivered = (await w.stores.requests.get(request!.id))!.value;
    assert.equal(delivered.state, "delivered");
    assert.equal(delivered.targetUserId, tomas.id, "the request now names the guest account");
    assert.equal(delivered.invitation?.invitedUserId, tomas.id);
    const [assignment] = await w.stores.assignments.listForUser(tomas.id);
    assert.equal(assignment?.state, "delivered");

    // The sponsor is told with a card.
    const told = latestCard(channel, REAL.christie, "now has ERP Project");
    assert.ok(told, "Christie gets the delivered card");
    assert.match(textOf(cardOf(told)), /tomas@fabrikam\.com now has ERP Project/);

    const rows = await w.stores.audit.query({ subject: `request:${request!.id}`, limit: 100 });
    const invited = rows.find((r) => r.action === "guest.invited");
    assert.equal(invited?.actor, REAL.christie);
    assert.equal(invited?.details?.userId, tomas.id);
    assert.ok(
      rows.some((r) => r.action === "guest.inviteRequested" && r.details?.sponsorId === REAL.christie),
    );
  });

  /** Christie asks for Tomas in chat, Megan approves: delivery starts with the invitation. */
  const askedAndApproved = async () => {
    const { channel } = w;
    await channel.say(REAL.christie, "invite tomas@fabrikam.com to ERP Project");
    const form = latestWithAction(channel, REAL.christie, "request.submit")!;
    const data = actionData(cardOf(form), "request.submit")!;
    const submitted = await channel.invoke(REAL.christie, form.id, "request.submit", {
      ...data,
      justification: "Tomas leads Fabrikam's data migration",
      q_role: "Migration lead",
    });
    assert.equal(submitted.status, 200);
    await w.settle();
    const approval = latestCard(channel, REAL.megan, "Approval needed")!;
    const approve = actionData(cardOf(approval), "approval.approve")!;
    assert.equal((await channel.invoke(REAL.megan, approval.id, "approval.approve", approve)).status, 200);
    await w.settle();
    const [request] = await w.stores.requests.listForUser(REAL.christie);
    return request!.id;
  };
  const inviteRetries = async (requestId: string) =>
    (await w.stores.due.listDue("2100-01-01T00:00:00.000Z", 100))
      .map((d) => d.value)
      .filter(
        (d) =>
          d.kind === "deliveryRetry" && d.subjectId === requestId && d.discriminator.startsWith("invite-"),
      );
  /** Runs the request's invitation retries that are due, as the scheduler would. */
  const runDueRetries = async (requestId: string) => {
    for (const item of await inviteRetries(requestId)) {
      if (item.dueAt > w.clock.now().toISOString()) continue;
      await handleDeliveryRetry(w.bot.deps, item);
      await w.stores.due.remove([item]);
    }
    await w.settle();
  };

  it("Graph unavailable for the invitation: the request keeps delivering with a retry due, and the retry invites and assigns him", async () => {
    w.graph.server.faults.failMatching(
      (method, path) => method === "POST" && path.startsWith("/invitations"),
      () => ({
        status: 503,
        headers: {},
        body: { error: { code: "ServiceUnavailable", message: "Try later" } },
      }),
    );
    const requestId = await askedAndApproved();
    let request = (await w.stores.requests.get(requestId))!.value;
    assert.equal(request.state, "delivering", "not failed for a moment's outage");
    assert.equal(request.invitation?.failedAttempts, 1);
    assert.equal(w.tenant.invitations.length, 0);
    const [retry] = await inviteRetries(requestId);
    assert.ok(retry, "a retry is due");
    assert.equal(retry.dueAt, new Date(w.clock.now().getTime() + 60_000).toISOString(), "one minute later");

    w.graph.server.faults.clear();
    w.clock.advance(60_000);
    await runDueRetries(requestId);
    request = (await w.stores.requests.get(requestId))!.value;
    assert.equal(request.state, "delivered");
    assert.equal(w.tenant.invitations.length, 1, "invited once");
    assert.ok(w.tenant.groups.get(REAL.erpUsers)!.members.has(w.tenant.invitations[0]!.userId));
    assert.ok(latestCard(w.channel, REAL.christie, "now has ERP Project"), "Christie is told");
  });

  it("Graph unavailable through every attempt: the delivery fails for good after five, with a fresh budget for a Reprocess", async () => {
    w.graph.server.faults.failMatching(
      (method, path) => method === "POST" && path.startsWith("/invitations"),
      () => ({
        status: 503,
        headers: {},
        body: { error: { code: "ServiceUnavailable", message: "Try later" } },
      }),
    );
    const requestId = await askedAndApproved();
    for (let minutes = 1; minutes <= 8; minutes *= 2) {
      assert.equal((await w.stores.requests.get(requestId))!.value.state, "delivering");
      w.clock.advance(minutes * 60_000);
      await runDueRetries(requestId);
    }
    const request = (await w.stores.requests.get(requestId))!.value;
    assert.equal(request.state, "deliveryFailed", "failed after the fifth attempt");
    assert.equal(request.invitation?.failedAttempts, undefined, "a Reprocess starts a fresh budget");
    assert.deepEqual(await inviteRetries(requestId), [], "nothing left due");
    assert.equal(w.tenant.invitations.length, 0);
  });

  it("Graph refuses the invitation (403): the delivery fails at once, nothing is retried", async () => {
    w.graph.server.faults.failMatching(
      (method, path) => method === "POST" && path.startsWith("/invitations"),
      () => ({
        status: 403,
        headers: {},
        body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges" } },
      }),
    );
    const requestId = await askedAndApproved();
    const request = (await w.stores.requests.get(requestId))!.value;
    assert.equal(request.state, "deliveryFailed");
    assert.match(request.outcomeReason ?? "", /could not be invited/);
    assert.deepEqual(await inviteRetries(requestId), []);
  });

  it("refuses a domain of no connected organisation, one the policy does not allow, an external inviter and an existing guest; nothing is stored or invited", async () => {
    const { channel } = w;
    await channel.say(REAL.christie, "invite bob@contoso-partners.org to ERP Project");
    assert.match(lastText(REAL.christie), /contoso-partners\.org belongs to no connected organisation/);
    await channel.say(REAL.christie, "invite kai.b@northwind.com to ERP Project");
    assert.match(lastText(REAL.christie), /No policy of "ERP Project" allows users of Northwind/);
    await channel.say(REAL.anna, "invite lars@fabrikam.com to ERP Project");
    assert.match(lastText(REAL.anna), /Only people of the organisation can invite a partner/);
    await channel.say(REAL.christie, "invite anna@fabrikam.com to ERP Project");
    assert.match(lastText(REAL.christie), /already has an account here/);

    assert.equal(w.tenant.invitations.length, 0);
    assert.deepEqual(await w.stores.requests.listForUser(REAL.christie), []);
    const refusals = (await w.stores.audit.query({ limit: 100 })).filter(
      (r) => r.action === "request.refused",
    );
    assert.deepEqual(refusals.map((r) => r.details?.code).sort(), [
      "INVITE.ALREADY_IN_DIRECTORY",
      "INVITE.NOT_ALLOWED",
      "INVITE.NO_ORGANIZATION",
      "INVITE.POLICY_NOT_ALLOWED",
    ]);
  });
});
