/**
 * One Access Desk for the fault suite, wired as src/main.ts wires it (table stores, the local
 * directory on a table, the notification sink and the Teams notifier through buildBot, the
 * scheduler with the request deadlines and the `effects` handler), sending to the test's recording
 * Bot Connector. The same function runs in a child process the test kills (desk-child.ts) and in
 * the test process for the restart that has to finish the work.
 *
 * The workload: employees of `benchOrganization` ask for the Business Analyst package (manager,
 * then the Security Team), and the approvers approve, until every request is delivered. An
 * approver approves once their approval card arrived, as they would click it. An action that
 * fails is reported and tried again on the next pass, as a person would click again.
 */
import { randomUUID } from "node:crypto";
import { createTableStores, type TableStores } from "../../../src/adapters/tables";
import {
  LocalDirectory,
  LocalProvisioner,
  TableMembershipStore,
} from "../../../src/adapters/local-directory";
import { ShiftableClock, systemClock } from "../../../src/adapters/runtime/clock";
import { RandomIds } from "../../../src/adapters/runtime/ids";
import { contextualLogger, createLogger, silentLogger } from "../../../src/adapters/runtime/logger";
import { decideApproval } from "../../../src/app/decide-approval";
import { type DueHandlers, mergeHandlers } from "../../../src/app/due-work";
import { requestDeadlineHandlers } from "../../../src/app/handle-request-deadline";
import { effectsHandlers } from "../../../src/app/notify/effects-handler";
import { submitRequest } from "../../../src/app/submit-request";
import { buildBot, type WiredBot } from "../../../src/composition/bot";
import type { DueItem } from "../../../src/ports/stores";
import { createScheduler, type Scheduler } from "../../../src/scheduler";
import { benchGovernance, benchOrganization, PACKAGE_ID, STAGE2_APPROVER } from "../../../bench/fixtures";

export const DEFAULT_LEASE = "due-work-sweeper";

export interface DeskOptions {
  connectionString: string;
  prefix: string;
  /** The recording Bot Connector's service URL. */
  connector: string;
  /** How many bench employees the organisation has (the workload picks among them). */
  employees: number;
  clockOffsetMs: number;
  /** The sweep lease; instances with different names sweep at the same time (claims keep them apart). */
  leaseName?: string;
  /** Pause between sweeps (default 150 ms). */
  sweepMs?: number;
  /** Told about every due item a handler finished (before the item is completed). */
  onHandled?: (item: DueItem) => void;
}

/** What one action of the workload came to. */
export interface ActionOutcome {
  employee: number;
  action: "submit" | "approve1" | "approve2";
  /** ok; refused (a domain error the person is shown); threw (an error the bot answers with "try again"). */
  outcome: "ok" | "refused" | "threw";
  detail?: string;
}

export interface WorkPlan {
  /** Employees (indexes) whose requests this desk submits. */
  submit: number[];
  /** Employees whose pending stages this desk approves (several desks may race on one). */
  approve: number[];
  /** Gives up after this long (the test then counts what is left as stuck). */
  timeoutMs?: number;
  /** `decided`: stop once no request waits for a person (delivery is left to the process). */
  until?: "delivered" | "decided";
}

export interface Desk {
  stores: TableStores;
  bot: WiredBot;
  clock: ShiftableClock;
  scheduler: Scheduler;
  /** Creates the tables and the governance configuration when they are not there yet. */
  seed(): Promise<void>;
  start(): void;
  /** Submits and approves until every planned request is delivered; reports each action. */
  work(plan: WorkPlan, report?: (o: ActionOutcome) => void): Promise<ActionOutcome[]>;
  /** Stops sweeping and waits for queued notifications. */
  stop(): Promise<void>;
}

const BASE = { justification: "Quarterly reporting", source: "fault-test" };

export function createDesk(options: DeskOptions): Desk {
  const clock = new ShiftableClock(systemClock);
  clock.advance(options.clockOffsetMs);
  const stores = createTableStores(options.connectionString, { tablePrefix: options.prefix });
  const { organization, employees } = benchOrganization(options.employees);
  const memberships = TableMembershipStore.fromConnectionString(
    options.connectionString,
    `${options.prefix}Memberships`,
  );
  const directory = new LocalDirectory(organization, memberships);
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
    // FAULT_LOG=warn (or info, debug) shows what the process logs, on stdout.
    logger: process.env.FAULT_LOG ? contextualLogger(createLogger(process.env.FAULT_LOG)) : silentLogger,
    bot: { appId: "", serviceUrl: options.connector },
  });
  const deps = bot.deps;
  const handlers: DueHandlers = mergeHandlers(requestDeadlineHandlers, effectsHandlers);
  const observed: DueHandlers = Object.fromEntries(
    Object.entries(handlers).map(([kind, handler]) => [
      kind,
      async (d: typeof deps, item: DueItem) => {
        await handler!(d, item);
        options.onHandled?.(item);
      },
    ]),
  );
  const scheduler = createScheduler({
    deps,
    leases: stores.leases,
    handlers: observed,
    instanceId: `fault-${process.pid}-${randomUUID().slice(0, 6)}`,
    intervalMs: options.sweepMs ?? 150,
    batchSize: 50,
    leaseName: options.leaseName ?? DEFAULT_LEASE,
    random: () => 0,
  });

  async function work(plan: WorkPlan, report?: (o: ActionOutcome) => void): Promise<ActionOutcome[]> {
    const outcomes: ActionOutcome[] = [];
    const note = (o: ActionOutcome) => {
      outcomes.push(o);
      report?.(o);
    };
    const attempt = async (
      employee: number,
      action: ActionOutcome["action"],
      run: () => Promise<{ ok: boolean; error?: { code: string } }>,
    ) => {
      try {
        const result = await run();

        note({ employee, action, outcome: result.ok ? "ok" : "refused", detail: result.error?.code });
      } catch (error) {
        note({ employee, action, outcome: "threw", detail: String((error as Error)?.message ?? error) });
      }
    };
    const deadline = Date.now() + (plan.timeoutMs ?? 60_000);
    const everyone = [...new Set([...plan.submit, ...plan.approve])];
    while (Date.now() < deadline) {
      let open = 0;
      for (const index of everyone) {
        const employee = employees[index]!;
        const mine = await deps.requests.listForUser(employee.id).catch(() => undefined);
        if (!mine) {
          open += 1;
          continue;
        }
        if (mine.length === 0) {
          open += 1;
          if (plan.submit.includes(index))
            await attempt(index, "submit", () =>
              submitRequest(deps, { ...BASE, actorId: employee.id, packageId: PACKAGE_ID, answers: {} }),
            );
          continue;
        }
        const request = mine[0]!;
        const waiting =
          plan.until === "decided" ? request.state === "pendingApproval" : request.state !== "delivered";
        if (waiting) open += 1;
        if (!plan.approve.includes(index)) continue;
        if (request.state !== "pendingApproval" || request.currentStage === undefined) continue;
        const stage = request.currentStage + 1;
        const actorId = stage === 1 ? employee.managerId! : STAGE2_APPROVER;
        // An approver clicks the card they got: no card yet, no click.
        const cards = await stores.conversations.listCards(`request:${request.id}`).catch(() => []);
        if (!cards.some((card) => card.userId === actorId)) continue;
        await attempt(index, stage === 1 ? "approve1" : "approve2", () =>
          decideApproval(deps, { ...BASE, actorId, requestId: request.id, stage, outcome: "approve" }),
        );
      }
      if (open === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return outcomes;
  }

  return {
    stores,
    bot,
    clock,
    scheduler,
    async seed() {
      await stores.ensureTables();
      await memberships.ensureTable();
      if ((await stores.governance.load()).packages.length === 0)
        await stores.governance.save(await benchGovernance());
    },
    start: () => scheduler.start(),
    work,
    async stop() {
      await scheduler.stop();
      await bot.events.drain();
    },
  };
}
