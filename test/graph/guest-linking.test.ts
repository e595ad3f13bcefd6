import assert from "node:assert/strict";
import { GraphDirectory } from "../../src/adapters/graph/graph-directory";
import { GuestLinkingDirectory } from "../../src/app/external/guest-linking-directory";
import { sponsorsOf } from "../../src/app/external/sponsors";
import { GovernanceIndex } from "../../src/domain/governance-index";
import type { ConnectedOrganization, GovernanceConfig } from "../../src/domain/model";
import { scopeIncludes } from "../../src/domain/policy/eligibility";
import { guestDomain } from "../../src/domain/external/guest-organization";
import { startGraph, type GraphHarness } from "./support/fixture";
import { REAL, seedRealTenant } from "./support/real-tenant";

const org = (id: string, domain: string, internal: string[], external: string[]): ConnectedOrganization => ({
  id,
  name: id,
  description: "",
  state: "configured",
  domains: [domain],
  internalSponsors: internal,
  externalSponsors: external,
});
const ORGS = [
  org("fabrikam", "Fabrikam.com", [REAL.megan], [REAL.rob]),
  org("northwind", "northwind.com", [], []),
];
const CONFIG: GovernanceConfig = { catalogs: [], packages: [], policies: [], connectedOrganizations: ORGS };

describe("guests linked to their connected organisation in Graph mode", () => {
  let g: GraphHarness;
  let directory: GuestLinkingDirectory;
  beforeEach(async () => {
    g = await startGraph();
    seedRealTenant(g.server.tenant);
    directory = new GuestLinkingDirectory(
      new GraphDirectory(g.transport(), { cacheTtlMs: 0 }),
      async () => ORGS,
    );
  });
  afterEach(() => g.stop());

  it("links a guest by the domain of its mail, and one without mail by the #EXT# part of its UPN", async () => {
    const anna = await directory.getUser(REAL.anna);
    assert.equal(anna?.connectedOrganizationId, "fabrikam");
    assert.equal(anna?.externalUserState, "Accepted");
    assert.equal(anna?.creationType, "Invitation");
    const kai = await directory.getUser(REAL.kai);
    assert.equal(kai?.mail, undefined);
    assert.equal(kai?.connectedOrganizationId, "northwind");
    assert.equal((await directory.getUser(REAL.paula))?.externalUserState, "PendingAcceptance");
  });

  it("never links a member, even one whose mail is at a partner domain", async () => {
    g.server.tenant.addUser({ id: "u-mole", displayName: "Mole", mail: "mole@fabrikam.com" });
    const users = await directory.listUsers();
    assert.equal(users.find((u) => u.id === "u-mole")?.connectedOrganizationId, undefined);
    assert.deepEqual(
      users
        .filter((u) => u.connectedOrganizationId)
        .map((u) => `${u.id}:${u.connectedOrganizationId}`)
        .sort(),
      [
        `${REAL.anna}:fabrikam`,
        `${REAL.kai}:northwind`,
        `${REAL.paula}:fabrikam`,
        `${REAL.rob}:fabrikam`,
      ].sort(),
    );
  });

  it("lets a connected-organisation scope include a linked guest and nobody else", async () => {
    const index = new GovernanceIndex(CONFIG);
    const scope = { kind: "connectedOrganizations" as const, organizationIds: ["fabrikam"] };
    const person = async (id: string) => ({ user: (await directory.getUser(id))!, groupIds: [] });
    assert.equal(scopeIncludes(scope, await person(REAL.anna), index), true);
    assert.equal(scopeIncludes(scope, await person(REAL.kai), index), false);
    assert.equal(scopeIncludes(scope, await person(REAL.christie), index), false);
    const unlinked = { user: (await new GraphDirectory(g.transport()).getUser(REAL.anna))!, groupIds: [] };
    assert.equal(scopeIncludes(scope, unlinked, index), false);
  });

  it("reads sponsors from Entra and from the connected organisation", async () => {
    const index = new GovernanceIndex(CONFIG);
    const anna = (await directory.getUser(REAL.anna))!;
    assert.deepEqual(await sponsorsOf({ directory }, index, anna, "internal"), [REAL.christie, REAL.megan]);
    assert.deepEqual(await sponsorsOf({ directory }, index, anna, "external"), [REAL.rob]);
    const kai = (await directory.getUser(REAL.kai))!;
    assert.deepEqual(await sponsorsOf({ directory }, index, kai, "both"), [REAL.adele]);
    assert.ok(g.server.log.some((c) => c.url.startsWith(`/users/${REAL.anna}/sponsors`)));
  });

  const domains: [string, string | undefined][] = [
    ["tomas_fabrikam.com#EXT#@contoso.com", "fabrikam.com"],
    ["first_last_northwind.co.uk#ext#@contoso.onmicrosoft.com", "northwind.co.uk"],
    ["nobody@contoso.com", undefined],
  ];
  for (const [upn, domain] of domains) {
    it(`reads the home domain of ${upn} as ${domain ?? "none"}`, () => {
      assert.equal(guestDomain({ userType: "Guest", userPrincipalName: upn }), domain);
    });
  }
});
