import { strict as assert } from "node:assert";
import { GovernanceIndex } from "../../../src/domain/governance-index";
import { accessPackage, config, twoStagePolicy } from "./support/fixtures";

describe("GovernanceIndex", () => {
  const index = new GovernanceIndex(
    config({
      packages: [accessPackage(), accessPackage({ id: "pkg-other", catalogId: "cat-missing" })],
      policies: [
        twoStagePolicy(),
        twoStagePolicy({ id: "pol-guests" }),
        twoStagePolicy({ id: "p3", packageId: "pkg-other" }),
      ],
      connectedOrganizations: [
        {
          id: "org-fabrikam",
          name: "Fabrikam",
          description: "",
          state: "configured",
          domains: ["Fabrikam.com"],
          internalSponsors: [],
          externalSponsors: [],
        },
      ],
    }),
  );

  const cases: Array<[string, () => unknown, unknown]> = [
    ["finds a package by id", () => index.package("pkg-analyst")?.name, "Business Analyst"],
    ["answers undefined for an unknown package", () => index.package("nope"), undefined],
    [
      "lists the policies of a package in order",
      () => index.policiesOfPackage("pkg-analyst").map((p) => p.id),
      ["pol-employees", "pol-guests"],
    ],
    ["lists no policies for an unknown package", () => index.policiesOfPackage("nope"), []],
    ["finds the catalog of a package", () => index.catalogOfPackage("pkg-analyst")?.id, "cat-finance"],
    ["answers undefined when the catalog is missing", () => index.catalogOfPackage("pkg-other"), undefined],
    [
      "finds a connected organisation by id",
      () => index.connectedOrganization("org-fabrikam")?.name,
      "Fabrikam",
    ],
    [
      "finds a connected organisation by an address",
      () => index.connectedOrganizationByDomain("bo@FABRIKAM.com")?.id,
      "org-fabrikam",
    ],
    [
      "finds a connected organisation by a bare domain",
      () => index.connectedOrganizationByDomain("fabrikam.com")?.id,
      "org-fabrikam",
    ],
    [
      "answers undefined for an unknown domain",
      () => index.connectedOrganizationByDomain("x@contoso.com"),
      undefined,
    ],
  ];
  for (const [name, run, expected] of cases) {
    it(name, () => assert.deepEqual(run(), expected));
  }
});
