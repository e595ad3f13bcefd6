import assert from "node:assert/strict";
import { GraphDirectory } from "../../src/adapters/graph/graph-directory";
import { GraphGuestAccounts } from "../../src/adapters/graph/guest-accounts";
import { GuestLinkingDirectory } from "../../src/app/external/guest-linking-directory";
import {
  DEFAULT_GUEST_LIFECYCLE,
  planGuestLifecycle,
  type GuestFacts,
} from "../../src/domain/external/guest-lifecycle";
import type { ConnectedOrganization } from "../../src/domain/model";
import { startGraph, type GraphHarness } from "./support/fixture";
import { denyPermission, REAL, seedRealTenant } from "./support/real-tenant";

const ORGS: ConnectedOrganization[] = [
  {
    id: "fabrikam",
    name: "Fabrikam",
    description: "",
    state: "configured",
    domains: ["fabrikam.com"],
    internalSponsors: [REAL.christie],
    externalSponsors: [],
  },
];
const NOW = "2026-12-01T00:00:00.000Z";

describe("B2B guests through Graph: invite, block sign-in, delete", () => {
  let g: GraphHarness;
  let accounts: GraphGuestAccounts;
  let directory: GuestLinkingDirectory;
  beforeEach(async () => {
    g = await startGraph();
    seedRealTenant(g.server.tenant);
    accounts = new GraphGuestAccounts(g.transport({ retry: { maxRetries: 0 } }));
    directory = new GuestLinkingDirectory(
      new GraphDirectory(g.transport(), { cacheTtlMs: 0 }),
      async () => ORGS,
    );
  });
  afterEach(() => g.stop());

  it("invites a partner with POST /invitations: a pending guest linked to its connected organisation", async () => {
    const invited = await accounts.invite({
      email: "tomas@fabrikam.com",
      displayName: "Tomas Lind",
      redirectUrl: "https://teams.microsoft.com",
      sendMessage: true,
    });
    assert.equal(invited.status, "PendingAcceptance");
    const tomas = await directory.getUser(invited.userId);
    assert.equal(tomas?.userType, "Guest");
    assert.equal(tomas?.connectedOrganizationId, "fabrikam");
    assert.equal(tomas?.creationType, "Invitation");
    assert.deepEqual(g.server.tenant.invitations.at(-1), {
      email: "tomas@fabrikam.com",
      userId: invited.userId,
      redirectUrl: "https://teams.microsoft.com",
      sendMessage: true,
    });
    // Inviting the same address again finds the same guest.
    const again = await accounts.invite({
      email: "tomas@fabrikam.com",
      redirectUrl: "https://teams.microsoft.com",
      sendMessage: false,
    });
    assert.equal(again.userId, invited.userId);
  });

  it("says a missing User.Invite.All is a 403, and creates nobody", async () => {
    denyPermission(g.server, (method, path) => method === "POST" && path === "/invitations");
    const before = g.server.tenant.users.size;
    await assert.rejects(
      accounts.invite({
        email: "tomas@fabrikam.com",
        redirectUrl: "https://teams.microsoft.com",
        sendMessage: true,
      }),
      /\/invitations answered 403: Insufficient privileges/,
    );
    assert.equal(g.server.tenant.users.size, before);
  });

  it("blocks a guest whose last assignment ended, then deletes it after 30 days; members and guests with access are untouched", async () => {
    const facts = async (id: string, extra: Partial<GuestFacts>): Promise<GuestFacts> => ({
      user: (await directory.getUser(id))!,
      activeAssignments: 0,
      invitedByAccessDesk: true,
      ...extra,
    });
    const guests = [
      await facts(REAL.anna, { accessEndedAt: "2026-11-30T00:00:00.000Z" }),
      await facts(REAL.rob, { activeAssignments: 1 }),
      await facts(REAL.paula, { accessEndedAt: "2026-10-01T00:00:00.000Z", invitedByAccessDesk: false }),
      await facts(REAL.christie, { accessEndedAt: "2026-10-01T00:00:00.000Z" }),
    ];
    const settings = () => DEFAULT_GUEST_LIFECYCLE;
    const first = planGuestLifecycle(guests, ORGS, settings, NOW);
    assert.deepEqual(
      first.map((s) => `${s.action} ${s.userId}`),
      [`block ${REAL.anna}`],
    );
    assert.match(
      first[0]!.reason,
      /Anna Larsen \(Fabrikam\) \(Fabrikam\) has no access package left: sign-in blocked/,
    );
    for (const step of first) await accounts.block(step.userId);
    assert.equal(g.server.tenant.users.get(REAL.anna)?.accountEnabled, false);

    const blocked = [await facts(REAL.anna, { accessEndedAt: "2026-11-30T00:00:00.000Z" })];
    assert.deepEqual(planGuestLifecycle(blocked, ORGS, settings, "2026-12-29T00:00:00.000Z"), []);
    const later = planGuestLifecycle(blocked, ORGS, settings, "2026-12-30T00:00:00.000Z");
    assert.deepEqual(
      later.map((s) => `${s.action} ${s.userId}`),
      [`delete ${REAL.anna}`],
    );
    assert.equal(await accounts.deleteGuest(REAL.anna), "deleted");
    assert.equal(await accounts.deleteGuest(REAL.anna), "gone");
    assert.ok(!g.server.tenant.users.has(REAL.anna));

    // Every guest of the organisation when configured so.
    const all = planGuestLifecycle(
      guests,
      ORGS,
      () => ({ ...DEFAULT_GUEST_LIFECYCLE, appliesTo: "allGuests" }),
      NOW,
    );
    assert.ok(all.some((s) => s.userId === REAL.paula));
  });

  it("never deletes a member account", async () => {
    await assert.rejects(accounts.deleteGuest(REAL.christie), /not a guest account/);
    assert.ok(g.server.tenant.users.has(REAL.christie));
  });
});
