import type {
  AssignmentStore,
  AuditLog,
  DueWorkIndex,
  GovernanceStore,
  RequestStore,
  ReviewStore,
} from "../ports/stores";
import type { ClaimStore } from "../ports/claims";
import type { Directory } from "../ports/directory";
import type { Provisioner } from "../ports/provisioner";
import type { EventSink } from "../ports/events";
import type { Clock, IdGenerator } from "../ports/runtime";
import type { Logger } from "../ports/logger";
import type { ExtensionPorts } from "../ports/extensions";
import type { StepUpDeps } from "../ports/step-up";
import type { DelegationStore } from "../ports/delegations";
import type { LinkSigner, UsedLinkStore } from "../ports/signed-links";
import type { InvitationSettings } from "../ports/guest-accounts";
import type { RecentConflicts } from "./queries/approval-card";
import type { TurnsAnswering } from "../ports/answers";

/** Everything a use case may touch, wired once in `src/main.ts` (or a test). */
export interface AppDeps {
  requests: RequestStore;
  assignments: AssignmentStore;
  reviews: ReviewStore;
  governance: GovernanceStore;
  due: DueWorkIndex;
  audit: AuditLog;
  /** One open request and one active assignment per person and package (src/app/shared/claims.ts). */
  claims: ClaimStore;
  directory: Directory;
  provisioner: Provisioner;
  events: EventSink;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Hours before an assignment ends at which its holder is reminded; default 14 days and 1 day. */
  reminderOffsetsHours?: number[];
  /** Members of this group are governance administrators (GOVERNANCE_ADMINISTRATORS_GROUP_ID). */
  governanceAdministratorsGroupId?: string;
  /** Custom extensions' webhooks and approval callbacks; absent, calls wait in the outbox. */
  extensions?: ExtensionPorts;
  /** Members of this group read every catalog's audit trail (AUDITORS_GROUP_ID). */
  auditorsGroupId?: string;
  /** Approvers' delegations; without them nobody decides for anyone else. */
  delegations?: DelegationStore;
  /** Signs and spends audit download links; without it the audit card offers no download. */
  auditLinks?: { signer: LinkSigner; used: UsedLinkStore; ttlMinutes?: number };
  /** B2B invitations and guest accounts; absent, approved invitations fail with a clear reason. */
  invitations?: InvitationSettings;
  /** Fresh multi-factor sign-in for stages that ask for it; absent: such stages cannot be decided. */
  stepUp?: StepUpDeps;
  /** Approval cards' conflicts per request revision, shared for a few seconds (see approval-card.ts). */
  recentConflicts?: RecentConflicts;
  /**
   * A journaled step answers before its audit rows are written (fewer round trips before a click's
   * answer); only with a sink that waits for them before it removes the batch (NotificationSink).
   */
  auditAfterAnswer?: boolean;
  /** Turns being answered: audit rows that follow an answer start once it is out (AnswersFirst). */
  answersFirst?: TurnsAnswering;
}
