import { TableClient } from "@azure/data-tables";
import type { Stores } from "../../ports/stores";
import { TableAssignmentStore } from "./assignment-store";
import { TableAuditLog } from "./audit-log";
import { personOf } from "./audit-copies";
import { TableClaimStore } from "./claim-store";
import { TableConversationStore } from "./conversation-store";
import { TableDeliveryLog } from "./delivery-log";
import { TableDelegationStore, TableUsedLinkStore } from "./delegation-store";
import { TableDueWorkIndex, type DueWorkOptions } from "./due-work-index";
import { TableGovernanceStore } from "./governance-store";
import { TableLeaseStore } from "./lease-store";
import { OperationCounter } from "./operation-counter";
import { TableRequestStore } from "./request-store";
import { TableReviewStore } from "./review-store";
import { TableStepUpProofs } from "./step-up-proof-store";
import type { TurnsAnswering } from "../../ports/answers";

/** The tables, by the store that owns each. */
export const TABLES = {
  requests: "Requests",
  assignments: "Assignments",
  reviews: "Reviews",
  governance: "Governance",
  due: "DueWork",
  leases: "Leases",
  audit: "Audit",
  conversations: "Conversations",
  claims: "Claims",
  deliveries: "Deliveries",
  delegations: "Delegations",
  usedLinks: "UsedLinks",
  stepUpProofs: "StepUpProofs",
} as const;

export interface TableStoreOptions {
  /** Letters and digits prepended to every table name (default "AccessDesk"); tests use a fresh one. */
  tablePrefix?: string;
  /** Bucket memo and grace of the due-work index (tests shorten them). */
  due?: DueWorkOptions;
  /** Dropped index rows are deleted once no answer is being written (the bot's AnswersFirst). */
  afterAnswers?: TurnsAnswering;
}

export interface TableStores extends Stores {
  /** Creates every table that does not exist yet. */
  ensureTables(): Promise<void>;
  /** Throws unless the service answers and the tables exist (for /readyz). */
  ping(): Promise<void>;
  /** Storage operations sent by these stores since the last reset. */
  counter: OperationCounter;
}

export function createTableStores(connectionString: string, opts: TableStoreOptions = {}): TableStores {
  const prefix = opts.tablePrefix ?? "AccessDesk";
  if (!/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(prefix)) {
    throw new Error(`table prefix "${prefix}" must start with a letter and hold only letters and digits`);
  }
  const counter = new OperationCounter();
  const insecure = /TableEndpoint=http:|UseDevelopmentStorage=true|DefaultEndpointsProtocol=http;/i.test(
    connectionString,
  );
  const clients = Object.fromEntries(
    Object.entries(TABLES).map(([store, table]) => [
      store,
      TableClient.fromConnectionString(connectionString, prefix + table, {
        allowInsecureConnection: insecure,
        additionalPolicies: [{ policy: counter.policy, position: "perCall" }],
      }),
    ]),
  ) as Record<keyof typeof TABLES, TableClient>;
  const requests = new TableRequestStore(clients.requests, { afterAnswers: opts.afterAnswers });
  const assignments = new TableAssignmentStore(clients.assignments, { afterAnswers: opts.afterAnswers });
  return {
    requests,
    assignments,
    reviews: new TableReviewStore(clients.reviews, { afterAnswers: opts.afterAnswers }),
    governance: new TableGovernanceStore(clients.governance),
    due: new TableDueWorkIndex(clients.due, opts.due),
    leases: new TableLeaseStore(clients.leases),
    audit: new TableAuditLog(clients.audit, {
      personOf: (subject) => personOf(subject, requests, assignments),
    }),
    conversations: new TableConversationStore(clients.conversations),
    claims: new TableClaimStore(clients.claims),
    deliveries: new TableDeliveryLog(clients.deliveries),
    delegations: new TableDelegationStore(clients.delegations),
    usedLinks: new TableUsedLinkStore(clients.usedLinks),
    stepUpProofs: new TableStepUpProofs(clients.stepUpProofs),
    counter,
    async ensureTables() {
      // createTable already treats 409 TableAlreadyExists as success.
      await Promise.all(Object.values(clients).map((client) => client.createTable()));
    },
    async ping() {
      await clients.leases
        .listEntities({ queryOptions: { filter: "PartitionKey eq 'ping'" } })
        .byPage({ maxPageSize: 1 })
        .next();
    },
  };
}

export { TableAssignmentStore, TableAuditLog, TableClaimStore, TableConversationStore, TableDueWorkIndex };
export { TableGovernanceStore, TableLeaseStore, TableRequestStore, TableReviewStore, OperationCounter };
export { encodeKey, decodeKey } from "./keys";
