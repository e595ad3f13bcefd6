/**
 * One Access Desk process for the crash tests: the use cases, the notification sink and the
 * scheduler as src/main.ts wires them, on the test's Azurite, sending to the test's recording Bot
 * Connector. It works through a fixed set of requests (each employee asks for the same package;
 * managers and the Security Team approve) until every one is delivered, then prints DONE and keeps
 * sweeping. The test kills it with SIGKILL at random moments and starts it again.
 *
 * Environment: FAULT_CONN, FAULT_PREFIX, FAULT_CONNECTOR, FAULT_EMPLOYEES, FAULT_CLOCK_OFFSET_MS,
 * FAULT_WORK ("1": submit and approve; "0": only sweep).
 */
import { randomUUID } from "node:crypto";
import { createTableStores } from "../../../src/adapters/tables";
import {
  LocalDirectory,
  LocalProvisioner,
  TableMembershipStore,
} from "../../../src/adapters/local-directory";
import { ShiftableClock, systemClock } from "../../../src/adapters/runtime/clock";
import { RandomIds } from "../../../src/adapters/runtime/ids";
import { silentLogger } from "../../../src/adapters/runtime/logger";
import { decideApproval } from "../../../src/app/decide-approval";
import { mergeHandlers } from "../../../src/app/due-work";
import { requestDeadlineHandlers } from "../../../src/app/handle-request-deadline";
import { effectsHandlers } from "../../../src/app/notify/effects-handler";
import { submitRequest } from "../../../src/app/submit-request";
import { buildBot } from "../../../src/composition/bot";
import { createScheduler } from "../../../src/scheduler";
import { benchGovernance, benchOrganization, PACKAGE_ID, STAGE2_APPROVER } from "../../../bench/fixtures";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

async function main(): Promise<void> {
  const conn = env("FAULT_CONN");
  const prefix = env("FAULT_PREFIX");
  const clock = new ShiftableClock(systemClock);
  clock.advance(Number(env("FAULT_CLOCK_OFFSET_MS")));
  const stores = createTableStores(conn, { tablePrefix: prefix });
  await stores.ensureTables();
  const { organization, employees } = benchOrganization(Number(env("FAULT_EMPLOYEES")));
  const memberships = TableMembershipStore.fromConnectionString(conn, `${prefix}Memberships`);
  await memberships.ensureTable();
  const directory = new LocalDirectory(organization, memberships);
  if ((await stores.governance.load()).packages.length === 0)
    await stores.governance.save(await benchGovernance());
  const bot = buildBot({
    requests: stores.requests,
    assignments: stores.assignments,
    reviews: stores.reviews,
    governance: stores.governance,
    due: stores.due,
    audit: stores.audit,
    conversations: stores.conversations,
    deliveries: stores.deliveries,
    claims: stores.claims,
    directory,
    provisioner: new LocalProvisioner(directory),
    clock,
    ids: new RandomIds(clock),
    logger: silentLogger,
    bot: { appId: "", serviceUrl: env("FAULT_CONNECTOR") },
  });
  const deps = bot.deps;
  const scheduler = createScheduler({
    deps,
    leases: stores.leases,
    handlers: mergeHandlers(requestDeadlineHandlers, effectsHandlers),
    instanceId: `fault-${process.pid}-${randomUUID().slice(0, 6)}`,
    intervalMs: 150,
    batchSize: 50,
    random: () => 0,
  });
  scheduler.start();
  if (env("FAULT_WORK") !== "1") return;

  const base = { justification: "Quarterly reporting", source: "fault-test" };
  for (;;) {
    let open = 0;
    for (const employee of employees) {
      const mine = await deps.requests.listForUser(employee.id);
      if (mine.length === 0) {
        open += 1;
        await submitRequest(deps, { ...base, actorId: employee.id, packageId: PACKAGE_ID, answers: {} });
        continue;
      }
      const request = mine[0]!;
      if (request.state !== "delivered") open += 1;
      if (request.state !== "pendingApproval" || request.currentStage === undefined) continue;
      const stage = request.currentStage + 1;
      const actorId = stage === 1 ? employee.managerId! : STAGE2_APPROVER;
      await decideApproval(deps, { ...base, actorId, requestId: request.id, stage, outcome: "approve" });
    }
    if (open === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log("DONE");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
