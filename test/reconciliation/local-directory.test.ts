import assert from "node:assert/strict";
import {
  LocalDirectory,
  LocalProvisioner,
  MemoryMembershipStore,
  loadOrganization,
} from "../../src/adapters/local-directory";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import { groupMemberKey } from "../../src/adapters/local-directory/membership-store";
import { reconcileAccess } from "../../src/app/reconcile/reconcile-access";
import type { ResourceRole } from "../../src/domain/model";
import { memoryStores } from "../support/stores";
import { buildWorld } from "../support/world";
import { granted, reconciledConfig } from "./support";

const org = loadOrganization("demo/organization.yaml");
const reports: ResourceRole = {
  kind: "groupMember",
  groupId: DEMO.groups.financeReports,
  displayName: "Finance Reports",
};
const key = groupMemberKey(DEMO.groups.financeReports);

async function open(outOfBand?: "report" | "remove") {
  const directory = new LocalDirectory(org, new MemoryMembershipStore());
  const w = buildWorld({
    stores: memoryStores(reconciledConfig([reports], outOfBand)),
    directory,
    provisioner: new LocalProvisioner(directory),
  });
  // Whoever the organisation file puts in the group holds it outside any package: start clean.
  for (const userId of await directory.holderIds(key)) await directory.setHolding(key, userId, false);
  // Fred has the access through a package; someone took him out and put Lola in, outside Access Desk.
  await w.stores.assignments.create(granted("asg-fred", DEMO.fred, [reports]));
  await directory.setHolding(key, DEMO.lola, true);
  return { w, directory };
}

const actions = async (w: Awaited<ReturnType<typeof open>>["w"]) =>
  (await w.deps.audit.query({ limit: 100 })).map((e) => `${e.action} ${e.targetUserId}`);

describe("the reconciliation sweep against the local directory", () => {
  it("gives back a grant removed outside Access Desk and reports a member no package grants", async () => {
    const { w, directory } = await open();
    const report = await reconcileAccess(w.deps);
    assert.deepEqual((await directory.holderIds(key)).sort(), [DEMO.fred, DEMO.lola].sort());
    assert.deepEqual(report.findings, [
      {
        key: `member:${DEMO.groups.financeReports}`,
        outOfBand: [DEMO.lola],
        removed: [],
        reapplied: [DEMO.fred],
      },
    ]);
    assert.deepEqual(await actions(w), [`resource.reapplied ${DEMO.fred}`]);
    assert.deepEqual(w.events.ofType("DriftFound"), [
      { type: "DriftFound", catalogId: "cat-finance", resources: report.findings },
    ]);
  });

  it("removes the member no package grants when the policy opts in, and audits it", async () => {
    const { w, directory } = await open("remove");
    const report = await reconcileAccess(w.deps);
    assert.deepEqual(report.findings[0]?.removed, [DEMO.lola]);
    assert.deepEqual(await directory.holderIds(key), [DEMO.fred]);
    assert.ok((await actions(w)).includes(`resource.outOfBandRemoved ${DEMO.lola}`));
  });

  it("finds nothing to say when the directory matches the assignments", async () => {
    const { w, directory } = await open("remove");
    await reconcileAccess(w.deps);
    const again = await reconcileAccess(w.deps);
    assert.deepEqual(again.findings, []);
    assert.deepEqual(await directory.holderIds(key), [DEMO.fred]);
    assert.equal(w.events.ofType("DriftFound").length, 1);
  });
});
