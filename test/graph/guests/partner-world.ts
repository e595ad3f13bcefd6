import type {
  AccessPackage,
  AssignmentPolicy,
  ConnectedOrganization,
  GovernanceConfig,
} from "../../../src/domain/model";
import { GraphDirectory } from "../../../src/adapters/graph/graph-directory";
import { GraphProvisioner } from "../../../src/adapters/graph/graph-provisioner";
import { GraphGuestAccounts } from "../../../src/adapters/graph/guest-accounts";
import { silentLogger } from "../../../src/adapters/runtime/logger";
import { GuestLinkingDirectory } from "../../../src/app/external/guest-linking-directory";
import type { Directory } from "../../../src/ports/directory";
import type { MemoryStores } from "../../../src/adapters/memory";
import { memoryStores } from "../../support/stores";
import { startBotWorld, type BotWorldOverHttp } from "../../support/over-http";
import { instantSleep, startGraph, type GraphHarness } from "../support/fixture";
import { REAL, seedRealTenant } from "../support/real-tenant";
import type { Tenant } from "../support/tenant";

export const NOW = "2026-12-01T09:00:00.000Z";
export const ERP_MEMBERS = {
  kind: "groupMember" as const,
  groupId: REAL.erpUsers,
  displayName: "ERP Project Members",
};

export function organizations(lifecycle?: ConnectedOrganization["guestLifecycle"]): ConnectedOrganization[] {
  return [
    {
      id: "fabrikam",
      name: "Fabrikam",
      description: "",
      state: "configured",
      domains: ["fabrikam.com"],
      internalSponsors: [REAL.christie],
      externalSponsors: [REAL.rob],
      ...(lifecycle ? { guestLifecycle: lifecycle } : {}),
    },
    {
      id: "northwind",
      name: "Northwind",
      description: "",
      state: "configured",
      domains: ["northwind.com"],
      internalSponsors: [REAL.adele],
      externalSponsors: [],
    },
  ];
}

const erp: AccessPackage = {
  id: "erp-project",
  catalogId: "projects",
  name: "ERP Project",
  description: "The ERP rollout's workspace",
  hidden: false,
  resourceRoles: [ERP_MEMBERS],
  incompatiblePackageIds: [],
  incompatibleGroupIds: [],
  keywords: ["sap"],
};

const policy = (id: string, requestors: AssignmentPolicy["requestors"], days: number): AssignmentPolicy => ({
  id,
  packageId: erp.id,
  name: id === "erp-partners" ? "Fabrikam partners" : "Employees",
  description: "",
  requestors,
  request: {
    selfService: true,
    justificationRequired: true,
    onBehalfOfByManagers: false,
    questions: [{ id: "role", text: "Your role on the ERP project", kind: "shortText", required: true }],
    requesterSchedule: false,
  },
  approval: {
    required: true,
    stages: [
      {
        primaryApprovers: [{ kind: "users", userIds: [REAL.megan] }],
        fallbackApprovers: [{ kind: "users", userIds: [REAL.irvin] }],
        approverJustificationRequired: false,
        decisionWindowDays: 14,
      },
    ],
  },
  lifecycle: {
    expiry: { kind: "afterDays", days },
    extension: { allowed: false, requiresApproval: true },
    selfRemoval: true,
  },
});

/** ERP Project in the externally visible Projects catalog: Fabrikam's users (10 days) and employees. */
export function partnerGovernance(lifecycle?: ConnectedOrganization["guestLifecycle"]): GovernanceConfig {
  return {
    catalogs: [
      {
        id: "projects",
        name: "Projects",
        description: "",
        owners: [REAL.christie],
        enabled: true,
        externallyVisible: true,
      },
    ],
    packages: [erp],
    policies: [
      policy("erp-partners", { kind: "connectedOrganizations", organizationIds: ["fabrikam"] }, 10),
      policy("erp-employees", { kind: "allMembers" }, 90),
    ],
    connectedOrganizations: organizations(lifecycle),
  };
}

export interface PartnerWorld extends BotWorldOverHttp<MemoryStores, Directory, GraphProvisioner> {
  graph: GraphHarness;
  tenant: Tenant;
  stop(): Promise<void>;
}

/**
 * The bot over HTTP against the local channel, on the Graph adapters pointed at the loopback Graph
 * with a real-looking tenant (Fabrikam and Northwind guests), guests linked by domain and B2B
 * invitations through Graph, as src/main.ts wires them in Graph mode.
 */
export async function partnerWorld(config: GovernanceConfig = partnerGovernance()): Promise<PartnerWorld> {
  const graph = await startGraph();
  seedRealTenant(graph.server.tenant);
  const transport = graph.transport({
    runtime: instantSleep().runtime,
    logger: silentLogger,
    retry: { maxRetries: 1 },
  });
  const stores = memoryStores(config);
  const directory = new GuestLinkingDirectory(
    new GraphDirectory(transport, { cacheTtlMs: 0 }),
    async () => (await stores.governance.load()).connectedOrganizations,
  );
  const people = [...graph.server.tenant.users.values()].map((u) => ({
    id: u.id,
    displayName: u.displayName,
    role: "user",
  }));
  const world = await startBotWorld({
    stores,
    directory: directory as Directory,
    provisioner: new GraphProvisioner(transport, silentLogger),
    start: NOW,
    personas: people,
  });
  world.bot.deps.invitations = {
    accounts: new GraphGuestAccounts(transport),
    redirectUrl: "https://teams.microsoft.com",
    sendMessage: true,
  };
  return {
    ...world,
    graph,
    tenant: graph.server.tenant,
    async stop() {
      await world.settle();
      await world.close();
      await graph.stop();
    },
  };
}
