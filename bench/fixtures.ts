import path from "node:path";
import type { AppDeps } from "../src/app/deps";
import type { DirectoryUser, DomainEvent } from "../src/domain/model";
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
import { CachedGovernanceStore } from "../src/adapters/cache/cached-governance-store";
import { systemClock } from "../src/adapters/runtime/clock";
import { RandomIds } from "../src/adapters/runtime/ids";
import { silentLogger } from "../src/adapters/runtime/logger";
import type { EventSink } from "../src/ports/events";
import type { Provisioner } from "../src/ports/provisioner";

const ROOT = path.resolve(__dirname, "..");

/** The package every benchmark lifecycle requests: manager, then the Security Team, then delivery. */
export const PACKAGE_ID = "business-analyst";
export const STAGE2_APPROVER = DEMO.securityApprover;

export const noopEvents: EventSink = { publish: async (_events: DomainEvent[]) => undefined };

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
export function benchOrganization(count: number): BenchPeople {
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
  const managers = Array.from({ length: Math.ceil(count / 10) }, (_, i) =>
    person(benchId("0001", i), `Bench Manager ${i}`, DEMO.cfo),
  );
  const employees = Array.from({ length: count }, (_, i) =>
    person(benchId("0002", i), `Bench Employee ${i}`, managers[Math.floor(i / 10)]!.id),
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

/** Use-case dependencies over the given stores, the local directory and a no-op event sink. */
export function benchDeps(
  stores: Stores,
  organization: Organization,
  overrides: { provisioner?: Provisioner; events?: EventSink } = {},
): AppDeps & { local: LocalDirectory } {
  const local = new LocalDirectory(organization, new MemoryMembershipStore());
  return {
    requests: stores.requests,
    assignments: stores.assignments,
    reviews: stores.reviews,
    // As in production (src/main.ts): the configuration is cached, not read per request.
    governance: new CachedGovernanceStore(stores.governance, systemClock),
    due: stores.due,
    audit: stores.audit,
    directory: local,
    provisioner: overrides.provisioner ?? new LocalProvisioner(local),
    events: overrides.events ?? noopEvents,
    clock: systemClock,
    ids: new RandomIds(systemClock),
    logger: silentLogger,
    local,
  };
}

/** A provisioner that takes `delayMs` per grant, like a slow directory API. */
export function slowProvisioner(inner: Provisioner, delayMs: number): Provisioner {
  return {
    async apply(operations) {
      await new Promise((resolve) => setTimeout(resolve, delayMs * operations.length));
      return inner.apply(operations);
    },
    holds: (userId, role) => inner.holds(userId, role),
  };
}
