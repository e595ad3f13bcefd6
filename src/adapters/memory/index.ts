import type { Stores } from "../../ports/stores";
import { MemoryAssignmentStore } from "./assignment-store";
import { MemoryAuditLog } from "./audit-log";
import { MemoryClaimStore } from "./claim-store";
import { MemoryConversationStore } from "./conversation-store";
import { MemoryDeliveryLog } from "./delivery-log";
import { MemoryDelegationStore, MemoryUsedLinkStore } from "./delegation-store";
import { MemoryDueWorkIndex } from "./due-work-index";
import { MemoryGovernanceStore } from "./governance-store";
import { MemoryLeaseStore } from "./lease-store";
import { MemoryRequestStore } from "./request-store";
import { MemoryReviewStore } from "./review-store";
import { MemoryStepUpProofs } from "./step-up-proofs";

export interface MemoryStores extends Stores {
  requests: MemoryRequestStore;
  assignments: MemoryAssignmentStore;
  reviews: MemoryReviewStore;
  governance: MemoryGovernanceStore;
  due: MemoryDueWorkIndex;
  leases: MemoryLeaseStore;
  audit: MemoryAuditLog;
  conversations: MemoryConversationStore;
  claims: MemoryClaimStore;
  deliveries: MemoryDeliveryLog;
  delegations: MemoryDelegationStore;
  usedLinks: MemoryUsedLinkStore;
  stepUpProofs: MemoryStepUpProofs;
}

export function createMemoryStores(): MemoryStores {
  return {
    requests: new MemoryRequestStore(),
    assignments: new MemoryAssignmentStore(),
    reviews: new MemoryReviewStore(),
    governance: new MemoryGovernanceStore(),
    due: new MemoryDueWorkIndex(),
    leases: new MemoryLeaseStore(),
    audit: new MemoryAuditLog(),
    conversations: new MemoryConversationStore(),
    claims: new MemoryClaimStore(),
    deliveries: new MemoryDeliveryLog(),
    delegations: new MemoryDelegationStore(),
    usedLinks: new MemoryUsedLinkStore(),
    stepUpProofs: new MemoryStepUpProofs(),
  };
}

export {
  MemoryAssignmentStore,
  MemoryAuditLog,
  MemoryClaimStore,
  MemoryConversationStore,
  MemoryDelegationStore,
  MemoryDeliveryLog,
  MemoryDueWorkIndex,
  MemoryGovernanceStore,
  MemoryLeaseStore,
  MemoryRequestStore,
  MemoryReviewStore,
};
export type { Stores };
export { StoredValueTooLargeError } from "../shared/stored-json";
