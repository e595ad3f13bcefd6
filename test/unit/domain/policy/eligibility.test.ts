import { strict as assert } from "node:assert";
import { GovernanceIndex } from "../../../../src/domain/governance-index";
import { choosePolicy, requestablePolicies, type Person } from "../../../../src/domain/policy/eligibility";
import type { RequestorScope } from "../../../../src/domain/model";
import { catalog, config, twoStagePolicy, user } from "../support/fixtures";

const org = (id: string, state: "configured" | "proposed") => ({
  id,
  name: id,
  description: "",
  state,
  domains: [],
  internalSponsors: [],
  externalSponsors: [],
});

const member: Person = { user: user("alice"), groupIds: ["grp-sales"] };
const guestOf = (orgId: string): Person => ({
  user: user("gus", { userType: "Guest", connectedOrganizationId: orgId }),
  groupIds: [],
});
const plainGuest: Person = { user: user("gail", { userType: "Guest" }), groupIds: [] };

function indexWith(scope: RequestorScope, externallyVisible = true) {
  return new GovernanceIndex(
    config({
      catalogs: [catalog({ externallyVisible })],
      policies: [twoStagePolicy({ requestors: scope })],
      connectedOrganizations: [org("org-ok", "configured"), org("org-new", "proposed")],
    }),
  );
}

describe("requestable policies by requestor scope", () => {
  const table: Array<[string, RequestorScope, Person, boolean]> = [
    ["nobody may request under scope none", { kind: "none" }, member, false],
    ["a listed user may request", { kind: "specific", userIds: ["alice"], groupIds: [] }, member, true],
    [
      "a member of a listed group may request",
      { kind: "specific", userIds: [], groupIds: ["grp-sales"] },
      member,
      true,
    ],
    [
      "someone neither listed nor in a listed group may not",
      { kind: "specific", userIds: ["bob"], groupIds: ["grp-x"] },
      member,
      false,
    ],
    ["a member may request under allMembers", { kind: "allMembers" }, member, true],
    ["a guest may not request under allMembers", { kind: "allMembers" }, guestOf("org-ok"), false],
    ["a guest may request under allUsers", { kind: "allUsers" }, plainGuest, true],
    [
      "a guest of a configured org may request under all orgs",
      { kind: "connectedOrganizations", organizationIds: "all" },
      guestOf("org-ok"),
      true,
    ],
    [
      "a guest of a proposed org may not",
      { kind: "connectedOrganizations", organizationIds: "all" },
      guestOf("org-new"),
      false,
    ],
    [
      "a guest of an unknown org may not",
      { kind: "connectedOrganizations", organizationIds: "all" },
      guestOf("org-gone"),
      false,
    ],
    [
      "a guest without an org may not",
      { kind: "connectedOrganizations", organizationIds: "all" },
      plainGuest,
      false,
    ],
    [
      "a guest of a listed org may request",
      { kind: "connectedOrganizations", organizationIds: ["org-ok"] },
      guestOf("org-ok"),
      true,
    ],
    [
      "a guest of an unlisted org may not",
      { kind: "connectedOrganizations", organizationIds: ["org-x"] },
      guestOf("org-ok"),
      false,
    ],
    [
      "a member may not request under connected orgs",
      { kind: "connectedOrganizations", organizationIds: "all" },
      member,
      false,
    ],
  ];
  for (const [name, scope, person, allowed] of table) {
    it(name, () => {
      const result = requestablePolicies(indexWith(scope), "pkg-analyst", person);
      assert.equal(result.ok, allowed);
      if (!result.ok) assert.equal(result.error.code, "POLICY.NOT_ELIGIBLE");
    });
  }
});

describe("requestable policies by catalog and policy settings", () => {
  it("hides packages of catalogs that are not externally visible from guests", () => {
    const result = requestablePolicies(indexWith({ kind: "allUsers" }, false), "pkg-analyst", plainGuest);
    assert.equal(!result.ok && result.error.code, "PACKAGE.NOT_FOUND");
  });

  it("refuses packages of a disabled catalog", () => {
    const index = new GovernanceIndex(config({ catalogs: [catalog({ enabled: false })] }));
    const result = requestablePolicies(index, "pkg-analyst", member);
    assert.equal(!result.ok && result.error.code, "PACKAGE.CATALOG_DISABLED");
  });

  it("refuses an unknown package", () => {
    const result = requestablePolicies(indexWith({ kind: "allUsers" }), "pkg-nope", member);
    assert.equal(!result.ok && result.error.code, "PACKAGE.NOT_FOUND");
  });

  it("refuses self requests when self-service is off", () => {
    const p = twoStagePolicy();
    const index = new GovernanceIndex(
      config({ policies: [{ ...p, request: { ...p.request, selfService: false } }] }),
    );
    const result = requestablePolicies(index, "pkg-analyst", member);
    assert.equal(!result.ok && result.error.code, "POLICY.SELF_SERVICE_OFF");
  });

  it("refuses a disabled account", () => {
    const result = requestablePolicies(indexWith({ kind: "allUsers" }), "pkg-analyst", {
      user: user("al", { accountEnabled: false }),
      groupIds: [],
    });
    assert.equal(!result.ok && result.error.code, "POLICY.NOT_ELIGIBLE");
  });
});

describe("requests on behalf of a direct report", () => {
  const manager: Person = { user: user("mark"), groupIds: [] };
  const report: Person = { user: user("alice", { managerId: "mark" }), groupIds: [] };

  it("lets the manager request when the policy allows it", () => {
    const result = requestablePolicies(indexWith({ kind: "allMembers" }), "pkg-analyst", manager, report);
    assert.equal(result.ok, true);
  });

  it("refuses someone who is not the target's manager", () => {
    const result = requestablePolicies(
      indexWith({ kind: "allMembers" }),
      "pkg-analyst",
      { user: user("eve"), groupIds: [] },
      report,
    );
    assert.equal(!result.ok && result.error.code, "POLICY.ON_BEHALF_NOT_ALLOWED");
  });

  it("refuses when the policy does not allow managers to request", () => {
    const p = twoStagePolicy();
    const index = new GovernanceIndex(
      config({ policies: [{ ...p, request: { ...p.request, onBehalfOfByManagers: false } }] }),
    );
    const result = requestablePolicies(index, "pkg-analyst", manager, report);
    assert.equal(!result.ok && result.error.code, "POLICY.ON_BEHALF_NOT_ALLOWED");
  });

  it("checks the scope against the target, not the manager", () => {
    const result = requestablePolicies(
      indexWith({ kind: "specific", userIds: ["mark"], groupIds: [] }),
      "pkg-analyst",
      manager,
      report,
    );
    assert.equal(!result.ok && result.error.code, "POLICY.NOT_ELIGIBLE");
  });
});

describe("choosePolicy", () => {
  const index = new GovernanceIndex(
    config({
      policies: [
        twoStagePolicy(),
        twoStagePolicy({
          id: "pol-guests",
          requestors: { kind: "connectedOrganizations", organizationIds: "all" },
        }),
      ],
    }),
  );
  it("takes the first applicable policy when none is named", () => {
    const result = choosePolicy(index, "pkg-analyst", member, member);
    assert.equal(result.ok && result.value.id, "pol-employees");
  });
  it("refuses a named policy that does not apply to the person", () => {
    const result = choosePolicy(index, "pkg-analyst", member, member, "pol-guests");
    assert.equal(!result.ok && result.error.code, "POLICY.NOT_ELIGIBLE");
  });
  it("refuses a policy the package does not have", () => {
    const result = choosePolicy(index, "pkg-analyst", member, member, "pol-nope");
    assert.equal(!result.ok && result.error.code, "POLICY.NOT_FOUND");
  });
});
