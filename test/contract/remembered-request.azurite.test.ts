import { strict as assert } from "node:assert";
import { decideApproval, type DecideApprovalInput } from "../../src/app/decide-approval";
import type { AppDeps } from "../../src/app/deps";
import { rerunEffects } from "../../src/app/shared/effects";
import { batchOf } from "../../src/app/shared/journal";
import type { TableStores } from "../../src/adapters/tables";
import { RecordingEvents } from "../support/recording";
import { azuriteForSuite } from "../support/azurite";
import { azuriteStores, freshTablePrefix, tableStoresOn } from "../support/stores";
import { RandomIds } from "../../src/adapters/runtime/ids";
import { buildWorld } from "../support/world";
import { MapDirectory } from "../unit/app/support/directory";
import { MapProvisioner } from "../unit/app/support/provisioner";
import { aliceAsksForAnalyst, unwrap } from "../unit/app/support/world";
import { cancelRequest } from "../../src/app/cancel-request";
import type { GovernanceConfig } from "../../src/domain/model";
import { config, NOW, twoStagePolicy, user } from "../unit/domain/support/fixtures";

/**
 * A click decides on the version of the request its process remembers, without reading it first.
 * Here two instances share the tables and the other one saved since: the remembered version is
 * stale, and the click must come out exactly as if it had read.
 */
describe("a click on a request another instance changed since (table stores on Azurite)", function () {
  this.timeout(60_000);
  const azurite = azuriteForSuite();

  interface Instance {
    deps: AppDeps;
    events: RecordingEvents;
  }
  let here: Instance;
  let there: Instance;
  let requestId: string;

  const twoInstances = async (governance: GovernanceConfig) => {
    const tablePrefix = freshTablePrefix();
    const instance = async (stores: TableStores): Promise<Instance> => {
      const directory = new MapDirectory()
        .addUser(user("alice", { managerId: "mark" }))
        .addUser(user("mark"))
        .addUser(user("sam"))
        .addUser(user("sue"))
        .addGroup("grp-security", "Cyber Security", ["sam", "sue"]);
      const events = new RecordingEvents();
      const world = buildWorld({
        stores,
        directory,
        provisioner: new MapProvisioner(),
        events,
        start: NOW,
        ids: new RandomIds({ now: () => new Date() }), // two processes: their ids must not meet
      });
      return { deps: world.deps, events };
    };
    here = await instance(await azuriteStores(azurite(), { governance, tablePrefix }));
    there = await instance(tableStoresOn(azurite(), { tablePrefix }));
    // Submitted here: this instance remembers the request as it saved it.
    requestId = (await aliceAsksForAnalyst(here.deps)).id;
  };
  beforeEach(() => twoInstances(config()));

  const click = (
    actorId: string,
    stage: number,
    outcome: "approve" | "deny" = "approve",
  ): DecideApprovalInput => ({
    actorId,
    requestId,
    stage,
    outcome,
    justification: "Checked",
    source: "card:approval",
  });
  const stored = async () => (await here.deps.requests.get(requestId))!.value;
  const refusals = async () =>
    (await here.deps.audit.query({ subject: `request:${requestId}` })).filter(
      (e) => e.action === "cardAction.refused",
    );
  const decisions = async () =>
    (await here.deps.audit.query({ subject: `request:${requestId}` })).filter(
      (e) => e.action === "stage.approved",
    );

  it("decides the next stage that the other instance moved the request to", async () => {
    unwrap(await decideApproval(there.deps, click("mark", 1)));
    const remembered = here.deps.requests.remembered(requestId)?.value;
    assert.equal(remembered?.stages[0]?.decision, undefined, "this instance remembers stage 1 undecided");
    const decided = unwrap(await decideApproval(here.deps, click("sam", 2)));
    assert.equal(decided.request.stages[1]!.decision?.by, "sam");
    assert.equal((await stored()).stages[1]!.decision?.by, "sam");
    assert.deepEqual(await refusals(), [], "nothing was refused on the way");
  });

  it("answers a second click as repeated, after a stale save that sends nothing", async () => {
    unwrap(await decideApproval(there.deps, click("mark", 1)));
    // Read through the other instance: this one must still remember the request as it submitted it.
    const before = await there.deps.requests.get(requestId);
    const published = here.events.types();
    const again = unwrap(await decideApproval(here.deps, click("mark", 1)));
    assert.equal(again.repeated, true);
    assert.deepEqual(await there.deps.requests.get(requestId), before, "the request did not move");
    assert.deepEqual(here.events.types(), published, "this instance published nothing more");
    // The journal the stale attempt wrote names a save that never happened: its rerun sends nothing.
    const journal = (await here.deps.due.listDue("2027-01-01T00:00:00.000Z", 100))
      .map((v) => v.value)
      .filter((i) => i.kind === "effects" && i.subjectId === `request:${requestId}`);
    assert.ok(journal.length > 0, "the stale attempt journaled its effects before its save failed");
    for (const item of journal) await rerunEffects(here.deps, batchOf(item));
    assert.deepEqual(here.events.types(), published);
    assert.equal((await decisions()).length, 1, "one decision audited, by the instance that made it");
  });

  it("refuses a click the other instance's decision overtook once, naming who decided", async () => {
    unwrap(await decideApproval(there.deps, click("mark", 1)));
    // Here remembers stage 2 pending: it reads the request once, as listing it would.
    await here.deps.requests.get(requestId);
    unwrap(await decideApproval(there.deps, click("sue", 2, "deny")));
    const lost = await decideApproval(here.deps, click("sam", 2));
    assert.ok(!lost.ok);
    assert.equal(lost.error.code, "APPROVAL.ALREADY_DECIDED");
    assert.equal(lost.error.details?.by, "sue");
    assert.equal((await refusals()).length, 1, "the refusal is audited once");
    assert.equal((await stored()).state, "denied");
  });

  it("tells what storage says, not to sign in, when a step-up stage the process remembers has ended", async () => {
    const policy = twoStagePolicy();
    const stepUpAtStage2 = { ...policy.approval.stages[1]!, requireStepUp: true };
    await twoInstances(
      config({
        policies: [
          {
            ...policy,
            approval: { ...policy.approval, stages: [policy.approval.stages[0]!, stepUpAtStage2] },
          },
        ],
      }),
    );
    unwrap(await decideApproval(here.deps, click("mark", 1)));
    unwrap(await cancelRequest(there.deps, { actorId: "alice", requestId, source: "chat:command" }));
    // Remembered here: stage 2 waiting, which asks for a sign-in (none is set up in this world).
    assert.equal(here.deps.requests.remembered(requestId)?.value.state, "pendingApproval");
    const refused = await decideApproval(here.deps, click("sam", 2));
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, "REQUEST.NOT_PENDING");
    const audited = await here.deps.audit.query({ subject: `request:${requestId}` });
    assert.deepEqual(
      audited.filter((e) => e.action === "approval.stepUpRequired"),
      [],
      "no sign-in was asked for",
    );
  });
});
