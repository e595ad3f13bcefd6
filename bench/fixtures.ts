import path from "node:path";
import type { AppDeps } from "../src/app/deps";
import type { DirectoryUser } from "../src/domain/model";
import type { Stores } from "../src/adapters/memory";
import {
  DEMO,
  LocalDirectory,
  LocalProvisioner,
  MemoryMembershipStore,
  loadOrganization,
  type Organization,
} from "../src/adapters/local-directory";
import { loadGovernance } from "../src/governance";
import { systemClock } from "../src/adapters/runtime/clock";
import { RandomIds } from "../src/adapters/runtime/ids";
import type { EventSink } from "../src/ports/events";
import { buildWorld } from "../test/support/world";

const ROOT = path.resolve(__dirname, "..");

/** The package every benchmark lifecycle requests: manager, then the Security Team, then delivery. */
export const PACKAGE_ID = "business-analyst";
export const STAGE2_APPROVER = DEMO.securityApprover;

const noopEvents: EventSink = { publish: async () => undefined, replay: async () => undefined };

/** GUID-shaped ids in a range the demo file does not use. */
const benchId = (kind: string, n: number) => `bbbbbbbb-${kind}-4000-8000-${String(n).padStart(12, "0")}`;

export interface BenchPeople {
  organization: Organization;
  employees: DirectoryUser[];
}

/**
 * The demo organisation plus `count` generated employees (ten per generated manager), so each
 * lifecycle has its own requester: one person cannot hold two open requests for one package.
 */
export function benchOrganization(
  count: number,
  /** Employees per generated manager; `oneManagerFrom`: every employee from this index on reports to one more manager. */
  shape: { perManager?: number; oneManagerFrom?: number } = {},
): BenchPeople {
  const perManager = shape.perManager ?? 10;
  const spread = Math.min(count, shape.oneManagerFrom ?? count);
  const organization = loadOrganization(path.join(ROOT, "demo/organization.yaml"));
  const person = (id: string, name: string, managerId: string): DirectoryUser => ({
    id,
    displayName: name,
    userPrincipalName: `${name.replace(/\s+/g, ".").toLowerCase()}@contoso.com`,
    mail: `${name.replace(/\s+/g, ".").toLowerCase()}@contoso.com`,
    department: "Finance",
    jobTitle: "Analyst",
    country: "DE",
    companyName: "Contoso",
    userType: "Member",
    accountEnabled: true,
    managerId,
  });
  const managers = Array.from({ length: Math.ceil(spread / perManager) + 1 }, (_, i) =>
    person(benchId("0001", i), `Bench Manager ${i}`, DEMO.cfo),
  );
  const managerOf = (i: number) => managers[i < spread ? Math.floor(i / perManager) : managers.length - 1]!;
  const employees = Array.from({ length: count }, (_, i) =>
    person(benchId("0002", i), `Bench Employee ${i}`, managerOf(i).id),
  );
  return {
    organization: { ...organization, users: [...organization.users, ...managers, ...employees] },
    employees,
  };
}

export async function benchGovernance() {
  const loaded = await loadGovernance(path.join(ROOT, "governance"));
  if (!loaded.ok) throw new Error(`governance/ does not load: ${JSON.stringify(loaded.problems[0])}`);
  return loaded.config;
}

/** Use-case dependencies as production wires them, over the given stores and the local directory. */
export function benchDeps(stores: Stores, organization: Organization): AppDeps & { local: LocalDirectory } {
  const local = new LocalDirectory(organization, new MemoryMembershipStore());
  const { deps } = buildWorld({
    stores,
    directory: local,
    provisioner: new LocalProvisioner(local),
    events: noopEvents,
    clock: systemClock,
    ids: new RandomIds(systemClock),
    // As in production (src/main.ts): the configuration is cached, not read per request.
    cachedGovernance: true,
  });
  return { ...deps, local };
}
