import assert from "node:assert/strict";
import { submitInvitation } from "../../../src/app/invitations/submit-invitation";
import { decideApproval } from "../../../src/app/decide-approval";
import { removeAssignment } from "../../../src/app/remove-assignment";
import { guestStepHandler, runGuestLifecycle } from "../../../src/app/guests/run-guest-lifecycle";
import { planGuestSteps } from "../../../src/app/guests/guest-facts";
import type { Assignment } from "../../../src/domain/model";
import { addDays } from "../../../src/domain/time";
import { cardOf, latestCard, textOf } from "../../bot/support/cards";
import { REAL } from "../support/real-tenant";
import { ERP_MEMBERS, NOW, partnerGovernance, partnerWorld, type PartnerWorld } from "./partner-world";

const ended = (id: string, userId: string): Assignment => ({
  id,
  userId,
  packageId: "erp-project",
  policyId: "erp-employees",
  requestId: `req-${id}`,
  state: "expired",
  startAt: addDays(NOW, -60),
  endAt: addDays(NOW, -1),
  resources: [{ role: ERP_MEMBERS, status: "revoked", attempts: 1, heldBefore: false }],
  remindersSent: [],
  createdAt: addDays(NOW, -60),
  updatedAt: addDays(NOW, -1),
  revision: 3,
});

describe("guest lifecycle of a connected organisation (Graph mode, sponsor told over HTTP)", () => {
  let w: PartnerWorld;
  beforeEach(async () => {
    w = await partnerWorld(
      partnerGovernance({ blockSignIn: true, deleteAfterDays: 30, appliesTo: "invitedByAccessDesk" }),
    );
  });
  afterEach(() => w.stop());

  it("blocks an invited guest when the last assignment ends, deletes the account 30 days later, audits both and tells the sponsor; other guests and members are never touched", async () => {
    const deps = w.bot.deps;
    // Christie invites Tomas; Megan approves; he is invited and assigned.
    const submitted = await submitInvitation(deps, {
      actorId: REAL.christie,
      email: "tomas@fabrikam.com",
      packageId: "erp-project",
      justification: "Data migration",
      answers: { role: "Migration lead" },
      source: "test",
    });
    assert.ok(submitted.ok);
    const decided = await decideApproval(deps, {
      actorId: REAL.megan,
      requestId: submitted.value.request.id,
      stage: 1,
      outcome: "approve",
      justification: "",
      source: "test",
    });
    assert.ok(decided.ok);
    await decided.value.followUp;
    await w.settle();
    const tomas = w.tenant.invitations[0]!.userId;
    // Anna (Fabrikam, not invited by Access Desk) and Adele (a member) have ended access too.
    await w.stores.assignments.create(ended("asg-anna", REAL.anna));
    await w.stores.assignments.create(ended("asg-adele", REAL.adele));

    assert.deepEqual(await runGuestLifecycle(deps), [], "Tomas still has access: nothing to do");

    const [assignment] = await w.stores.assignments.listForUser(tomas);
    w.clock.advance(3_600_000);
    const removed = await removeAssignment(deps, {
      actorId: tomas,
      as: "user",
      assignmentId: assignment!.id,
      reason: "Migration done",
      source: "test",
    });
    assert.ok(removed.ok);

    // `governance plan` shows what the run will do.
    const preview = await planGuestSteps(deps, await deps.governance.load(), deps.clock.now().toISOString());
    assert.deepEqual(
      preview.map((s) => [s.action, s.userId]),
      [["block", tomas]],
    );

    const blocked = await runGuestLifecycle(deps);
    await w.settle();
    assert.deepEqual(
      blocked.map((s) => s.action),
      ["block"],
    );
    assert.equal(w.tenant.users.get(tomas)?.accountEnabled, false, "sign-in blocked in the tenant");
    assert.equal(
      w.tenant.users.get(REAL.anna)?.accountEnabled,
      true,
      "a guest Access Desk did not invite is left alone",
    );
    assert.equal(w.tenant.users.get(REAL.adele)?.accountEnabled, true);
    const blockNotice = latestCard(w.channel, REAL.christie, "can no longer sign in");
    assert.ok(blockNotice, "the sponsor is told");
    assert.match(
      textOf(cardOf(blockNotice)),
      /no access package left: sign-in blocked, account deleted after 30 days/,
    );

    w.clock.advance(29 * 86_400_000);
    assert.deepEqual(await runGuestLifecycle(deps), [], "nothing more before 30 days");
    assert.ok(w.tenant.users.has(tomas));

    w.clock.advance(2 * 86_400_000);
    const deleted = await runGuestLifecycle(deps);
    await w.settle();
    assert.deepEqual(
      deleted.map((s) => s.action),
      ["delete"],
    );
    assert.ok(!w.tenant.users.has(tomas), "the guest account is deleted");
    assert.ok(w.tenant.users.has(REAL.anna) && w.tenant.users.has(REAL.adele), "nobody else is deleted");
    const deletes = w.graph.server.log.filter(
      (c) => c.method === "DELETE" && /^\/users\/[^/]+$/.test(c.url.split("?")[0]!),
    );
    assert.deepEqual(
      deletes.map((c) => c.url),
      [`/users/${tomas}`],
    );
    assert.ok(latestCard(w.channel, REAL.christie, "guest account was deleted"), "the sponsor is told again");

    const rows = await w.stores.audit.query({ targetUserId: tomas, limit: 100 });
    const lifecycle = rows.filter(
      (r) => r.action.startsWith("guest.signInBlocked") || r.action === "guest.deleted",
    );
    assert.deepEqual(lifecycle.map((r) => r.action).sort(), ["guest.deleted", "guest.signInBlocked"]);
    assert.ok(
      lifecycle.every(
        (r) => r.details?.organizationId === "fabrikam" && r.details?.sponsors?.includes(REAL.christie),
      ),
    );
  });

  it("a run that dies right after Graph blocked the guest: the step's own due item audits it and tells the sponsor, once", async () => {
    const deps = w.bot.deps;
    const submitted = await submitInvitation(deps, {
      actorId: REAL.christie,
      email: "tomas@fabrikam.com",
      packageId: "erp-project",
      justification: "Data migration",
      answers: { role: "Migration lead" },
      source: "test",
    });
    assert.ok(submitted.ok);
    const decided = await decideApproval(deps, {
      actorId: REAL.megan,
      requestId: submitted.value.request.id,
      stage: 1,
      outcome: "approve",
      justification: "",
      source: "test",
    });
    assert.ok(decided.ok);
    await decided.value.followUp;
    await w.settle();
    const tomas = w.tenant.invitations[0]!.userId;
    const [assignment] = await w.stores.assignments.listForUser(tomas);
    w.clock.advance(3_600_000);
    const removed = await removeAssignment(deps, {
      actorId: tomas,
      as: "user",
      assignmentId: assignment!.id,
      reason: "Migration done",
      source: "test",
    });
    assert.ok(removed.ok);
    await w.settle();

    // The audit trail is out of reach once the Graph call returned: the run stops there, as a
    // process killed at that moment would (nothing after the call happened).
    const append = w.stores.audit.append.bind(w.stores.audit);
    w.stores.audit.append = async () => {
      throw Object.assign(new Error("Service Unavailable"), { statusCode: 503 });
    };
    await assert.rejects(runGuestLifecycle(deps));
    w.stores.audit.append = append;
    await w.settle();
    assert.equal(w.tenant.users.get(tomas)?.accountEnabled, false, "blocked in the tenant");
    const notices = () =>
      w.channel
        .activities(w.channel.conversationOf(REAL.christie))
        .filter((a) => textOf(cardOf(a)).includes("can no longer sign in"));
    assert.equal(notices().length, 0, "nobody told yet");
    assert.deepEqual(await runGuestLifecycle(deps), [], "the next run no longer sees the step");

    const steps = async () =>
      (await w.stores.due.listDue("2100-01-01T00:00:00.000Z", 100))
        .map((d) => d.value)
        .filter((d) => d.kind === "guestStep");
    const [promised] = await steps();
    assert.ok(promised, "the step's promise is due");
    w.clock.advance(5 * 60_000);
    await guestStepHandler(deps, promised);
    await w.settle();
    await guestStepHandler(deps, promised); // a sweep running it again after a lost answer
    await w.settle();

    const rows = (await w.stores.audit.query({ targetUserId: tomas, limit: 100 })).filter(
      (r) => r.action === "guest.signInBlocked",
    );
    assert.equal(rows.length, 1, "audited once");
    assert.equal(notices().length, 1, "the sponsor is told once");
    assert.deepEqual(await steps(), [], "nothing left due");
  });
});
