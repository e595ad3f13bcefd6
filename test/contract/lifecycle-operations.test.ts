import assert from "node:assert/strict";
import path from "node:path";
import { CachedGovernanceStore } from "../../src/adapters/cache/cached-governance-store";
import {
  DEMO,
  LocalDirectory,
  LocalProvisioner,
  MemoryMembershipStore,
  loadOrganization,
} from "../../src/adapters/local-directory";
import { systemClock } from "../../src/adapters/runtime/clock";
import { RandomIds } from "../../src/adapters/runtime/ids";
import { silentLogger } from "../../src/adapters/runtime/logger";
import { createTableStores, type TableStores } from "../../src/adapters/tables";
import { decideApproval } from "../../src/app/decide-approval";
import type { AppDeps } from "../../src/app/deps";
import { submitRequest } from "../../src/app/submit-request";
import type { DirectoryUser } from "../../src/domain/model";
import { loadGovernance } from "../../src/governance";
import { startAzurite, type RunningAzurite } from "../support/azurite";

const ROOT = path.resolve(__dirname, "../..");
const STEPS = ["submit", "stage-1 approve", "stage-2 approve", "delivery"] as const;
type Step = (typeof STEPS)[number];

/** The storage budget of one request lifecycle (submit, two approvals, local delivery). */
const LIFECYCLE_BUDGET = 20;

function employee(n: number): DirectoryUser {
  return {
    id: `cccccccc-0002-4000-8000-${String(n).padStart(12, "0")}`,
    displayName: `Counted Employee ${n}`,
    userPrincipalName: `counted.employee.${n}@contoso.com`,
    department: "Finance",
    jobTitle: "Analyst",
    country: "DE",
    companyName: "Contoso",
    userType: "Member",
    accountEnabled: true,
    managerId: DEMO.managerOfFred,
  };
}

/** One lifecycle through the use cases; the operations each step sent. */
async function countedLifecycle(
  deps: AppDeps,
  stores: TableStores,
  person: DirectoryUser,
): Promise<Record<Step, number>> {
  const counts = {} as Record<Step, number>;
  const step = async <T>(name: Step, work: () => Promise<T>): Promise<T> => {
    stores.counter.reset();
    const result = await work();
    counts[name] = stores.counter.operations;
    return result;
  };
  const base = { justification: "Quarterly reporting", source: "test" };
  const submitted = await step("submit", () =>
    submitRequest(deps, { ...base, actorId: person.id, packageId: "business-analyst", answers: {} }),
  );
  assert.ok(submitted.ok, JSON.stringify(!submitted.ok && submitted.error));
  const requestId = submitted.value.request.id;
  const first = await step("stage-1 approve", () =>
    decideApproval(deps, { ...base, actorId: DEMO.managerOfFred, requestId, stage: 1, outcome: "approve" }),
  );
  assert.ok(first.ok, JSON.stringify(!first.ok && first.error));
  // Delivery runs after the answer; its first read may be counted with the approval.
  const second = await step("stage-2 approve", () =>
    decideApproval(deps, { ...base, actorId: DEMO.securityApprover, requestId, stage: 2, outcome: "approve" }),
  );
  assert.ok(second.ok, JSON.stringify(!second.ok && second.error));
  await step("delivery", () => second.value.followUp);
  const [request] = await deps.requests.listForUser(person.id, 1);
  assert.equal(request?.state, "delivered");
  return counts;
}

describe("storage operations of one request lifecycle (table stores on Azurite)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let stores: TableStores;
  let deps: AppDeps;
  const people = [1, 2, 3].map(employee);

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
    stores = createTableStores(azurite.connectionString, { tablePrefix: `life${Date.now()}` });
    await stores.ensureTables();
    const governance = await loadGovernance(path.join(ROOT, "governance"));
    assert.ok(governance.ok);
    await stores.governance.save(governance.config);
    const organization = loadOrganization(path.join(ROOT, "demo/organization.yaml"));
    const directory = new LocalDirectory(
      { ...organization, users: [...organization.users, ...people] },
      new MemoryMembershipStore(),
    );
    deps = {
      requests: stores.requests,
      assignments: stores.assignments,
      reviews: stores.reviews,
      governance: new CachedGovernanceStore(stores.governance, systemClock),
      due: process.env.SHOW_DUE ? { ...stores.due, listDue: stores.due.listDue.bind(stores.due), claim: stores.due.claim.bind(stores.due), complete: stores.due.complete.bind(stores.due), schedule: async (items) => { console.log("schedule", items); await stores.due.schedule(items); } } : stores.due,
      audit: process.env.SHOW_DUE ? { query: (q) => stores.audit.query(q), append: async (e) => { console.log("audit", e.map((x) => [x.action, x.subject])); await stores.audit.append(e); } } : stores.audit,
      directory,
      provisioner: new LocalProvisioner(directory),
      events: { publish: async () => undefined },
      clock: systemClock,
      ids: new RandomIds(systemClock),
      logger: silentLogger,
    };
  });
  after(async () => {
    await azurite?.stop();
  });

  it(`stays within ${LIFECYCLE_BUDGET} operations once the process is warm`, async () => {
    const cold = await countedLifecycle(deps, stores, people[0]!);
    const warm = await countedLifecycle(deps, stores, people[1]!);
    const total = (c: Record<Step, number>) => STEPS.reduce((sum, s) => sum + c[s], 0);
    if (process.env.SHOW_OPERATIONS) console.log({ cold, coldTotal: total(cold), warm, warmTotal: total(warm) });
    assert.ok(total(warm) <= LIFECYCLE_BUDGET, `warm lifecycle: ${JSON.stringify(warm)} = ${total(warm)}`);
  });
});
