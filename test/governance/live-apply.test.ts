/**
 * A governance apply reaches instances that keep running (issue 11 §4): two Access Desks on one
 * storage, the configuration changed through the code path of `npm run governance -- apply`, and
 * neither instance restarted.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { GOVERNANCE_CHECK_MS } from "../../src/adapters/cache/cached-governance-store";
import { DEMO } from "../../src/adapters/local-directory/demo-ids";
import type { TableStores } from "../../src/adapters/tables";
import { devConnectionString } from "../../src/dev/azurite";
import { reviewIdFor } from "../../src/domain/reviews";
import { applyGovernanceFromDir } from "../../src/governance/apply";
import { cardOf, textOf } from "../bot/support/cards";
import { startAzurite, type RunningAzurite } from "../support/azurite";
import { startLocalDesk, type LocalDesk } from "../support/desk";
import { freshTablePrefix, tableStoresOn } from "../support/stores";

const FIXTURE = path.join(__dirname, "fixtures", "live-apply");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const DATA_LAKE_DESCRIPTION = "Read access to the analytics data lake.";

/** A review block for a policy's lifecycle (YAML, indented for a policy of a package file). */
const review = (startDate: string) => `    lifecycle:
      review:
        recurrence: monthly
        startDate: ${startDate}
        durationDays: 7
        reviewers:
          - kind: manager
        fallbackReviewers:
          - kind: users
            userIds: [${DEMO.itHead}]
`;

const designTools = (startDate?: string) => `id: design-tools
name: Design Tools
description: The design tools group.
catalogId: design
keywords: [figma, prototyping]
resources:
  - kind: groupMember
    groupId: ${DEMO.groups.designToolsUsers}
    displayName: Design Tools Users
policies:
  - id: design-tools-employees
    name: Employees (auto-approved)
    requestors: allMembers
    request:
      justificationRequired: false
${startDate ? review(startDate) : ""}`;

const dataLake = (reviews: { members?: string; finance?: string } = {}) => `id: data-lake
name: Data Lake
description: ${DATA_LAKE_DESCRIPTION}
catalogId: general
keywords: [lake, analytics]
resources:
  - kind: groupMember
    groupId: ${DEMO.groups.analytics}
    displayName: Analytics
policies:
  - id: data-lake-members
    name: Employees
    requestors: allMembers
    request:
      justificationRequired: false
${reviews.members ? review(reviews.members) : ""}  - id: data-lake-finance
    name: Finance, automatically
    requestors: none
    autoAssignment:
      rule: user.department -eq "Finance"
${reviews.finance ? review(reviews.finance) : ""}`;

describe("a governance apply reaches running instances without a restart", function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let dir: string;
  let a: LocalDesk;
  let b: LocalDesk;
  /** What `npm run governance -- apply` opens: its own clients on the instances' tables. */
  let command: TableStores;
  const prefix = freshTablePrefix("live");

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
    dir = mkdtempSync(path.join(tmpdir(), "live-apply-"));
    cpSync(FIXTURE, dir, { recursive: true });
    const env = { STORAGE_TABLE_PREFIX: prefix, GOVERNANCE_DIR: dir };
    a = await startLocalDesk(azurite, env);
    b = await startLocalDesk(azurite, env);
    command = tableStoresOn(azurite, { tablePrefix: prefix });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await azurite?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const write = (file: string, text: string) => writeFileSync(path.join(dir, "packages", file), text);

  /** The apply of `npm run governance -- apply`: validated files, the store, the audit log, the due index. */
  async function apply(now: string) {
    const result = await applyGovernanceFromDir(
      dir,
      { store: command.governance, audit: command.audit, due: command.due, actor: DEMO.itHead, now },
      { directory: b.deps.directory },
    );
    assert.ok(result.ok, JSON.stringify(result));
    return result.changes.map((c) => `${c.action} ${c.kind}:${c.id}`);
  }

  /** What the bot answers `userId` in chat (the text of the reply and its card). */
  async function ask(desk: LocalDesk, userId: string, text: string): Promise<string> {
    const conversation = desk.localChannel.conversationOf(userId);
    const before = desk.localChannel.activities(conversation).length;
    await desk.localChannel.say(userId, text);
    const reply = await desk.localChannel.waitFor(() => desk.localChannel.activities(conversation)[before]);
    return `${String(reply.activity.text ?? "")}\n${textOf(cardOf(reply))}`;
  }

  async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const financeHolders = async () =>
    (await b.deps.assignments.listForPackage("data-lake"))
      .filter((x) => x.policyId === "data-lake-finance" && x.state === "delivered")
      .map((x) => x.userId);

  it("serves a new package within the bound, starts a new review on time, runs a new rule", async () => {
    // Both instances answer from their cached configuration, which has no Data Lake.
    assert.doesNotMatch(await ask(b, DEMO.designer, "I need access to Data Lake"), /analytics data lake/);
    assert.doesNotMatch(await ask(a, DEMO.designer, "I need access to Data Lake"), /analytics data lake/);

    const now = b.clock.now().getTime();
    const reviewAt = iso(Math.ceil((now + 2 * HOUR) / MINUTE) * MINUTE);
    write("data-lake.yaml", dataLake());
    write("design-tools.yaml", designTools(reviewAt));
    const appliedAt = Date.now();
    assert.deepEqual((await apply(iso(now))).sort(), [
      "add package:data-lake",
      "add policy:data-lake-finance",
      "add policy:data-lake-members",
      "update policy:design-tools-employees",
    ]);

    // The other instance serves the new package within the bound, without a restart.
    await eventually(
      async () => (await ask(b, DEMO.designer, "I need access to Data Lake")).includes(DATA_LAKE_DESCRIPTION),
      GOVERNANCE_CHECK_MS + 4_000,
    );
    // The bound, plus the time of one question in chat.
    const took = Date.now() - appliedAt;
    assert.ok(took <= GOVERNANCE_CHECK_MS + 2_000, `served after ${took} ms`);

    // The rule's evaluation was scheduled by the apply: the next sweep runs it.
    assert.deepEqual(await financeHolders(), []);
    await b.scheduler.sweepOnce();
    await eventually(async () => (await financeHolders()).includes(DEMO.fred), 10_000);
    const finance = (await b.deps.directory.listUsers()).filter((u) => u.department === "Finance");
    await eventually(async () => (await financeHolders()).length === finance.length, 10_000);
    assert.ok(!(await financeHolders()).includes(DEMO.designer), "the rule adds only Finance");

    // The new review starts at its due time, through the scheduler of the instance that never restarted.
    b.clock.advance(Date.parse(reviewAt) - b.clock.now().getTime() - MINUTE);
    await b.scheduler.sweepOnce();
    assert.deepEqual(await b.deps.reviews.listForPackage("design-tools"), [], "not before its start");
    b.clock.advance(2 * MINUTE);
    await b.scheduler.sweepOnce();
    const started = await b.deps.reviews.listForPackage("design-tools");
    assert.deepEqual(
      started.map((r) => r.id),
      [reviewIdFor("design-tools-employees", reviewAt)],
    );
  });

  it("a review start left by a removed or moved schedule does nothing, even where the old version is cached", async () => {
    // Two reviews whose current occurrence is open now: their starts are due at once.
    const now = b.clock.now().getTime();
    const open = iso(Math.floor((now - DAY) / MINUTE) * MINUTE);
    write("data-lake.yaml", dataLake({ members: open, finance: open }));
    await apply(iso(now));
    // Instance b holds this version, with both reviews, in its cache.
    const held = await b.deps.governance.load({ fresh: true });
    assert.ok(held.policies.filter((p) => p.packageId === "data-lake").every((p) => p.lifecycle.review));

    // Before any sweep, one schedule is removed and the other moved ten days on.
    const later = iso(Math.floor((now + 10 * DAY) / MINUTE) * MINUTE);
    write("data-lake.yaml", dataLake({ finance: later }));
    const checkedAt = Date.now();
    await apply(iso(now));
    if (Date.now() - checkedAt < GOVERNANCE_CHECK_MS - 500) {
      assert.equal(await b.deps.governance.load(), held, "b still serves the old version from its cache");
    }

    const starts = async (until: number) =>
      (await command.due.listDue(iso(until), 500))
        .map((x) => x.value)
        .filter((x) => x.kind === "reviewStart" && x.subjectId.startsWith("data-lake"))
        .map((x) => `${x.subjectId} ${x.discriminator}`)
        .sort();
    assert.deepEqual(
      await starts(now + 11 * DAY),
      [`data-lake-finance ${later}`, `data-lake-finance ${open}`, `data-lake-members ${open}`].sort(),
    );

    await b.scheduler.sweepOnce();
    assert.deepEqual(await b.deps.reviews.listForPackage("data-lake"), [], "no review started");
    assert.deepEqual(
      await starts(now + 11 * DAY),
      [`data-lake-finance ${later}`],
      "the stale starts are done",
    );
  });

  it("`npm run governance -- apply` itself schedules a new rule's evaluation for the running instances", async () => {
    write(
      "sketch-pad.yaml",
      `id: sketch-pad
name: Sketch Pad
description: The sketching whiteboard, for the Design department.
catalogId: design
resources:
  - kind: groupMember
    groupId: ${DEMO.groups.designToolsUsers}
    displayName: Design Tools Users
policies:
  - id: sketch-pad-design
    name: Design, automatically
    requestors: none
    autoAssignment:
      rule: user.department -eq "Design"
`,
    );
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["--require", "tsx/cjs", "src/cli/governance.ts", "apply", "--dir", dir, "--actor", DEMO.itHead],
        {
          env: {
            ...process.env,
            NODE_ENV: "development",
            STORAGE_CONNECTION_STRING: devConnectionString(azurite.port),
            STORAGE_TABLE_PREFIX: prefix,
            EMBEDDED_AZURITE: "false",
            DIRECTORY: "local",
            LOG_LEVEL: "silent",
          },
        },
        (error, stdout, stderr) => (error ? reject(new Error(`${stdout}${stderr}`)) : resolve(stdout)),
      ),
    );
    assert.match(output, /Applied 2 change\(s\)\./);
    const evaluations = (await command.due.listDue(b.clock.now().toISOString(), 500))
      .map((x) => x.value)
      .filter((x) => x.kind === "autoAssignmentEvaluate" && x.subjectId === "sketch-pad-design");
    assert.equal(evaluations.length, 1, "due at once, scheduled by the command");

    await b.scheduler.sweepOnce();
    const designers = (await b.deps.directory.listUsers()).filter((u) => u.department === "Design");
    await eventually(async () => {
      const held = await b.deps.assignments.listForPackage("sketch-pad");
      return held.filter((x) => x.state === "delivered").length === designers.length;
    }, 10_000);
  });
});
