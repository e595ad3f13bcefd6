import { submitRequest, type SubmitRequestInput } from "../../../src/app/submit-request";
import { decideApproval } from "../../../src/app/decide-approval";
import type {
  AccessPackage,
  AccessRequest,
  Assignment,
  AssignmentPolicy,
  AuditEntry,
  GovernanceConfig,
  ResourceRole,
} from "../../../src/domain/model";
import type { MemoryStores } from "../../../src/adapters/memory";
import { FixedClock } from "../../../src/adapters/runtime/clock";
import { silentLogger } from "../../../src/adapters/runtime/logger";
import { GraphDirectory } from "../../../src/adapters/graph/graph-directory";
import { GraphProvisioner } from "../../../src/adapters/graph/graph-provisioner";
import type { GraphTransport } from "../../../src/adapters/graph/transport";
import type { RetryOptions } from "../../../src/adapters/graph/retry-policy";
import { instantSleep, startGraph, type GraphHarness } from "../support/fixture";
import type { Tenant } from "../support/tenant";
import { unwrap } from "../../unit/app/support/world";
import type { RecordingEvents } from "../../support/recording";
import { memoryStores } from "../../support/stores";
import { buildWorld, type World } from "../../support/world";

export const NOW = "2026-11-23T10:00:00.000Z";

/** The CRM package's three resource roles: a group, the owner role of a team's group, an app role. */
export const crmUsers: ResourceRole = { kind: "groupMember", groupId: "crm-users", displayName: "CRM users" };
export const dealsTeamOwner: ResourceRole = {
  kind: "groupOwner",
  groupId: "team-deals",
  displayName: "Deals team (owner)",
};
export const crmReader: ResourceRole = {
  kind: "appRole",
  servicePrincipalId: "sp-crm",
  appRoleId: "role-reader",
  displayName: "CRM app",
  roleName: "Reader",
};
export const wiki: ResourceRole = { kind: "groupMember", groupId: "grp-wiki", displayName: "Wiki editors" };

const pkg = (id: string, name: string, resourceRoles: ResourceRole[]): AccessPackage => ({
  id,
  catalogId: "cat-sales",
  name,
  description: `${name} access`,
  hidden: false,
  resourceRoles,
  incompatiblePackageIds: [],
  incompatibleGroupIds: [],
  keywords: [],
});

const policy = (id: string, packageId: string, approval: AssignmentPolicy["approval"]): AssignmentPolicy => ({
  id,
  packageId,
  name: "Employees",
  description: "Members of the directory",
  requestors: { kind: "allMembers" },
  request: {
    selfService: true,
    justificationRequired: true,
    onBehalfOfByManagers: true,
    questions: [],
    requesterSchedule: false,
  },
  approval,
  lifecycle: {
    expiry: { kind: "afterDays", days: 30 },
    extension: { allowed: true, requiresApproval: false },
    selfRemoval: true,
  },
});

/**
 * One catalog owned by olivia. "pkg-crm" needs two approvals (the manager, with fiona as fallback,
 * then a member of the security group); "pkg-reporting" and "pkg-dashboards" need none and both
 * grant CRM users, the dashboards one also the wiki group.
 */
export function governance(): GovernanceConfig {
  return {
    catalogs: [
      {
        id: "cat-sales",
        name: "Sales",
        description: "Sales tools",
        owners: ["olivia"],
        enabled: true,
        externallyVisible: false,
      },
    ],
    packages: [
      pkg("pkg-crm", "CRM", [crmUsers, dealsTeamOwner, crmReader]),
      pkg("pkg-reporting", "Reporting", [crmUsers]),
      pkg("pkg-dashboards", "Dashboards", [crmUsers, wiki]),
    ],
    policies: [
      policy("pol-crm", "pkg-crm", {
        required: true,
        stages: [
          {
            primaryApprovers: [{ kind: "manager", level: 1 }],
            fallbackApprovers: [{ kind: "users", userIds: ["fiona"] }],
            approverJustificationRequired: true,
            decisionWindowDays: 14,
          },
          {
            primaryApprovers: [{ kind: "groupMembers", groupId: "grp-security" }],
            fallbackApprovers: [],
            approverJustificationRequired: true,
            decisionWindowDays: 14,
          },
        ],
      }),
      policy("pol-reporting", "pkg-reporting", { required: false, stages: [] }),
      policy("pol-dashboards", "pkg-dashboards", { required: false, stages: [] }),
    ],
    connectedOrganizations: [],
  };
}

/** Sellers alice, ben, cara and dave report to mark; sam and sue are security; nora has no manager. */
export const SELLERS = ["alice", "ben", "cara", "dave"];

export function seedTenant(t: Tenant): void {
  const person = (id: string, department: string) =>
    t.addUser({
      id,
      displayName: id[0]!.toUpperCase() + id.slice(1),
      mail: `${id}@contoso.test`,
      department,
    });
  for (const id of ["mark", ...SELLERS]) person(id, "Sales");
  for (const id of ["sam", "sue"]) person(id, "Security");
  person("fiona", "Operations");
  person("olivia", "IT");
  person("nora", "Sales");
  for (const id of SELLERS) t.setManager(id, "mark");
  t.addGroup("grp-security", "Security approvers", ["sam", "sue"]);
  t.addGroup("crm-users", "CRM users", []);
  t.addGroup("team-deals", "Deals", ["mark"], ["mark"]);
  t.addGroup("grp-wiki", "Wiki editors", ["alice"]);
  t.addServicePrincipal("sp-crm", "CRM", [
    { id: "role-reader", value: "Reader" },
    { id: "role-admin", value: "Admin" },
  ]);
}

export interface GraphWorld
  extends World<MemoryStores, GraphDirectory, GraphProvisioner, FixedClock, RecordingEvents> {
  graph: GraphHarness;
  tenant: Tenant;
  transport: GraphTransport;
  /** Every wait the retry policy asked for (the sleep returns at once). */
  waits: number[];
  stop(): Promise<void>;
}

/**
 * The use cases over in-memory stores and the real Graph adapters (GraphDirectory and
 * GraphProvisioner over GraphTransport and the Graph SDK client) pointed at the loopback Graph.
 */
export async function graphWorld(retry: Partial<RetryOptions> = {}): Promise<GraphWorld> {
  const graph = await startGraph();
  seedTenant(graph.server.tenant);
  const sleeper = instantSleep();
  const transport = graph.transport({ retry, runtime: sleeper.runtime, logger: silentLogger });
  const clock = new FixedClock(NOW);
  const world = buildWorld({
    stores: memoryStores(governance()),
    directory: new GraphDirectory(transport, { clock }),
    provisioner: new GraphProvisioner(transport, silentLogger),
    clock,
  });
  return {
    ...world,
    graph,
    tenant: graph.server.tenant,
    transport,
    waits: sleeper.waits,
    stop: () => graph.stop(),
  };
}

export const ask = (actorId: string, packageId: string, patch: Partial<SubmitRequestInput> = {}) =>
  ({
    actorId,
    packageId,
    justification: "Pipeline reviews",
    answers: {},
    source: "card:request",
    ...patch,
  }) satisfies SubmitRequestInput;

export const approve = (actorId: string, requestId: string, stage: number) => ({
  actorId,
  requestId,
  stage,
  outcome: "approve" as const,
  justification: `Approved at stage ${stage}`,
  source: "card:approval",
});

/** Submits, approves both stages (the manager, then sam) and waits for the delivery that follows. */
export async function requestAndApprove(w: GraphWorld, requester: string, manager = "mark"): Promise<string> {
  const submitted = unwrap(await submitRequest(w.deps, ask(requester, "pkg-crm")));
  const id = submitted.request.id;
  unwrap(await decideApproval(w.deps, approve(manager, id, 1)));
  const final = unwrap(await decideApproval(w.deps, approve("sam", id, 2)));
  await final.followUp;
  return id;
}

/** Submits a request that needs no approval and waits for its delivery. */
export async function requestDirect(w: GraphWorld, requester: string, packageId: string): Promise<string> {
  const submitted = unwrap(await submitRequest(w.deps, ask(requester, packageId)));
  await submitted.followUp;
  return submitted.request.id;
}

export async function requestOf(w: GraphWorld, id: string): Promise<AccessRequest> {
  return (await w.deps.requests.get(id))!.value;
}

export async function assignmentOf(w: GraphWorld, requestId: string): Promise<Assignment> {
  const request = await requestOf(w, requestId);
  return (await w.deps.assignments.get(request.assignmentId!))!.value;
}

/** Audit actions about one user in the order they were written (ids are sequential). */
export async function auditActions(w: GraphWorld, userId: string): Promise<AuditEntry["action"][]> {
  const rows = await w.deps.audit.query({ targetUserId: userId, limit: 1000 });
  // Ids are "<prefix>_<n>", or "<batch id>-<i>" for the rows of a journaled batch (eff_<n>-<i>).
  const seq = (row: AuditEntry) => {
    const [, n, i] = /_(\d+)(?:-(\d+))?$/.exec(row.id) ?? [];
    return Number(n) + Number(i ?? 0) / 1000;
  };
  return rows.sort((a, b) => seq(a) - seq(b)).map((r) => r.action);
}

/** What the tenant says the user holds, in the CRM package's terms. */
export function holdings(t: Tenant, userId: string) {
  return {
    member: t.groups.get("crm-users")!.members.has(userId),
    owner: t.groups.get("team-deals")!.owners.has(userId),
    appRole: t.servicePrincipals
      .get("sp-crm")!
      .assignments.some((a) => a.principalId === userId && a.appRoleId === "role-reader"),
  };
}

export { unwrap };
