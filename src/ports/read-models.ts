import type { GovernanceIndex } from "../domain/governance-index";
import type { SodViolation } from "../domain/sod/report";
import type {
  AccessPackage,
  Catalog,
  GroupId,
  AccessRequest,
  Assignment,
  DirectoryUser,
  Instant,
  UserId,
} from "../domain/model";
import type { SodConflict } from "../domain/sod/separation-of-duties";

/**
 * Read models: what the queries in `app/queries` load and the views in `views/` draw. They sit
 * between the two layers, which may not import each other.
 */

/** What every view reads besides the entity it shows: the time, the configuration, the people it names. */
export interface ViewContext {
  now: Instant;
  index: GovernanceIndex;
  /** People the view may name, prefetched from the directory. */
  people: ReadonlyMap<UserId, DirectoryUser>;
}

/** Teams refreshes a card automatically for at most 60 users. */
export const MAX_REFRESH_USERS = 60;

/** What an approval card shows besides the request. */
export interface ApprovalCardModel {
  ctx: ViewContext;
  /** Teams user ids that get the card refreshed automatically (the stage's approvers). */
  refreshUserIds: string[];
  /** Separation-of-duties conflicts of the person who would get the access, for the approver. */
  sodConflicts: SodConflict[];
  /** Delegates in force of the current approvers: delegate id -> the approver they decide for. */
  delegates?: ReadonlyMap<UserId, UserId>;
}

/** What a reviewer's card shows besides the review. */
export interface ReviewCardModel {
  ctx: ViewContext;
  /** When each assignment started, by assignment id ("since" on the card). */
  since: ReadonlyMap<string, Instant>;
  /** The reviewers whose delegation to the viewer is in force: the viewer reviews their items too. */
  principals?: UserId[];
}

/** The requests waiting for one approver's decision, oldest first: the approvals digest. */
export interface ApprovalsDigestModel {
  ctx: ViewContext;
  approverId: UserId;
  requests: AccessRequest[];
  /** The approver's Teams user id, so Teams refreshes the digest when they look at it. */
  refreshUserIds: string[];
}

/** What became of one request an approver decided from the digest. */
export interface DigestOutcome {
  requestId: string;
  /** Decided now; decided before (by someone else, or the same way by them); a reason is needed; refused. */
  kind: "approved" | "denied" | "alreadyDecided" | "needsReason" | "refused";
  /** The 1-based stage the click decided. */
  stage?: number;
  /** The request as stored after the click, when the clicker may see it. */
  request?: AccessRequest;
  /** Why, in the rules' words (refusals). */
  message?: string;
}

/** How an assignment came about: a request, an administrator's direct assignment, a rule. */
export type HowAssigned = "request" | "direct" | "auto";

/** One page of "who has <package>": the package's active assignments, oldest first. */
export interface PackageHoldersModel {
  ctx: ViewContext;
  pkg: AccessPackage;
  rows: { assignment: Assignment; how: HowAssigned }[];
  /** Active assignments in all. */
  total: number;
  /** 0-based. */
  page: number;
  pageSize: number;
  /** The whole list as CSV, when an export was asked for (within what a card can hold). */
  csv?: { text: string; rows: number; truncated: boolean };
}

/** "pending <package>": its open requests, oldest first. */
export interface PackageRequestsModel {
  ctx: ViewContext;
  pkg: AccessPackage;
  requests: AccessRequest[];
}

/** "separation of duties report": violations today, in the catalogs the reader may see. */
export interface SodReportModel {
  ctx: ViewContext;
  catalogs: Catalog[];
  groupNames: ReadonlyMap<GroupId, string>;
  /** Each with the catalog it is listed under (the first package's, when that one is in scope). */
  violations: (SodViolation & { catalogId: string })[];
}
