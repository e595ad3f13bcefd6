import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { DEMO, LocalDirectory, MemoryMembershipStore } from "../../src/adapters/local-directory";
import { createTableStores } from "../../src/adapters/tables";
import { createLocalChannel, type LocalChannel } from "../../src/local-channel";
import { benchOrganization } from "../../bench/fixtures";
import { startAzurite, type RunningAzurite } from "../support/azurite";

const INSTANCE = path.join(__dirname, "support/instance.ts");
const EMPLOYEES = 12;
const CRASHES = 10;
const MINUTE = 60_000;

interface Sent {
  conversationId: string;
  summary: string;
}

/** Starts one Access Desk process; `done` resolves when it printed DONE. */
function startInstance(env: Record<string, string>): { child: ChildProcess; done: Promise<void> } {
  const child = spawn(process.execPath, ["--require", "tsx/cjs", INSTANCE], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errors = "";
  const done = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("DONE")) resolve();
    });
    child.once("exit", (code, signal) => reject(new Error(`instance exited (${code ?? signal}): ${errors}`)));
  });
  done.catch(() => undefined);
  child.stderr!.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  return { child, done };
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Processes killed with SIGKILL at random moments of a burst of requests and approvals, then
 * started again on the same storage (its clock moved on, so journaled effects and safety nets
 * fall due): every message is sent once, every grant is audited once, no request is left behind.
 */
describe("crash safety: SIGKILL during bursts of requests and approvals", function () {
  this.timeout(240_000);
  let azurite: RunningAzurite;
  let connector: LocalChannel;
  const sent: Sent[] = [];

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
    connector = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages" });
    await connector.listen();
    connector.store.addTeam({
      id: "team-access-desk",
      name: "Contoso IT",
      channels: [{ id: "channel-access-requests", name: "Access requests" }],
    });
    connector.store.onEvent((event) => {
      if (event.type !== "activity" || event.kind !== "created") return;
      const recorded = connector.store.get(event.activityId);
      if (recorded?.from !== "bot") return;
      sent.push({
        conversationId: recorded.conversationId,
        summary: String(recorded.activity.summary ?? ""),
      });
    });
  });
  after(async () => {
    await connector?.close();
    await azurite?.stop();
  });

  it(`loses, doubles and strands nothing across ${CRASHES} kills`, async () => {
    const prefix = `Fault${Date.now().toString(36)}`;
    const env = (offsetMs: number, work: boolean) => ({
      FAULT_CONN: azurite.connectionString,
      FAULT_PREFIX: prefix,
      FAULT_CONNECTOR: connector.serviceUrl,
      FAULT_EMPLOYEES: String(EMPLOYEES),
      FAULT_CLOCK_OFFSET_MS: String(offsetMs),
      FAULT_WORK: work ? "1" : "0",
    });
    let offset = 0;
    let random = 7;
    const nextRandom = () => (random = (random * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < CRASHES; round += 1) {
      const { child } = startInstance(env(offset, true));
      await sleep(1200 + Math.floor(nextRandom() * 1800));
      await killed(child);
      // Each restart comes a few minutes later: what the dead process left is due by then.
      offset += 3 * MINUTE;
    }
    const lastOffset = offset + 10 * MINUTE;
    const last = startInstance(env(lastOffset, true));
    await last.done;
    const stores = createTableStores(azurite.connectionString, { tablePrefix: prefix });
    // Unfinished work: any journaled batch (it is removed once all its effects are done), and
    // retries due on the last process's clock (safety nets it set itself lie minutes ahead). A
    // batch its entity does not name belongs to a step that was never saved (a create that found
    // the entity, a lost compare-and-swap): the sweep drops it once it falls due, 2 minutes on.
    const farFuture = new Date(Date.now() + 365 * 24 * 60 * MINUTE).toISOString();
    const clockNow = () => Date.now() + lastOffset;
    const saved = async ({ subjectId, discriminator }: { subjectId: string; discriminator: string }) => {
      const [kind, id] = subjectId.split(":") as [string, string];
      const entity =
        kind === "request"
          ? await stores.requests.get(id)
          : kind === "assignment"
            ? await stores.assignments.get(id)
            : await stores.reviews.get(id);
      return entity?.value.effectBatchIds?.includes(discriminator) ?? false;
    };
    const due = async () => {
      const left = [];
      for (const item of await stores.due.listDue(farFuture, 1000)) {
        if (item.value.kind === "effects" ? await saved(item.value) : false) left.push(item);
        else if (
          ["deliveryRetry", "scheduledStart"].includes(item.value.kind) &&
          Date.parse(item.value.dueAt) <= clockNow()
        )
          left.push(item);
      }
      return left;
    };
    for (let i = 0; i < 100 && (await due()).length > 0; i += 1) await sleep(300);
    await sleep(500);
    await killed(last.child);

    const { organization, employees } = benchOrganization(EMPLOYEES);
    const directory = new LocalDirectory(organization, new MemoryMembershipStore());
    const security = (await directory.getGroupMemberIds(DEMO.groups.securityTeam)).length;
    const count = (match: (s: Sent) => boolean) => sent.filter(match).length;
    let lost = 0;
    let doubled = 0;
    let stuck = 0;
    let unaudited = 0;
    const missing: string[] = [];
    const tally = (n: number, expected: number, what = "") => {
      if (n < expected) missing.push(`${what} ${n}/${expected}`);
      lost += Math.max(0, expected - n);
      doubled += Math.max(0, n - expected);
    };
    for (const e of employees) {
      const requests = await stores.requests.listForUser(e.id);
      if (requests.length !== 1 || requests[0]!.state !== "delivered") stuck += 1;
      const personal = (s: Sent) => s.conversationId.includes(e.id);
      tally(
        // An approval card sent again after a crash shows the request as it is by then
        // ("Business Analyst for <name>: Being delivered"): it is still that approver's card.
        count(
          (s) =>
            s.summary === `${e.displayName} asks for Business Analyst` ||
            s.summary.startsWith(`Business Analyst for ${e.displayName}:`),
        ),
        1 + security,
        `${e.displayName}: approval cards`,
      );
      tally(
        count((s) => personal(s) && s.summary === "Stage 1 approved: Business Analyst"),
        1,
        `${e.displayName}: stage 1 approved`,
      );
      tally(
        count((s) => personal(s) && s.summary === "You now have Business Analyst"),
        1,
        `${e.displayName}: delivered`,
      );
      tally(
        count((s) => s.summary === `${e.displayName} got Business Analyst`),
        1,
        `${e.displayName}: channel post`,
      );
      const assignmentId = requests[0]?.assignmentId;
      const granted = assignmentId
        ? (await stores.audit.query({ subject: `assignment:${assignmentId}` })).filter(
            (row) => row.action === "assignment.granted",
          ).length
        : 0;
      if (granted !== 1) unaudited += 1;
    }
    const left = await due();
    const undeliverable = (await stores.audit.query({ from: "2026-01-01T00:00:00Z", limit: 1000 })).filter(
      (row) => row.action === "notification.undeliverable",
    );
    assert.deepEqual(
      { lost, doubled, stuck, unaudited, due: left.length },
      { lost: 0, doubled: 0, stuck: 0, unaudited: 0, due: 0 },
      `missing: ${missing.join("; ")}; still due: ${left.map((i) => i.value.kind).join(", ")}; undeliverable: ${JSON.stringify(undeliverable.map((u) => [u.subject, u.reason, u.details]))}`,
    );
  });
});
