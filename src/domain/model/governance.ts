import type { GroupId, Instant, UserId } from "./ids";
import type { CustomExtension } from "../extensions/model";
import type { GuestLifecycleSettings } from "../external/guest-lifecycle";

/** Where compact "access delivered / removed" cards are posted. */
export interface ChannelRef {
  teamId: string;
  channelId: string;
  name?: string;
}

export interface Catalog {
  id: string;
  name: string;
  description: string;
  /** Catalog owners: delegated administrators of the catalog's packages. */
  owners: UserId[];
  /** Catalog readers: see its packages, who holds them and their open requests. */
  readers?: UserId[];
  /** Access package managers: manage its packages, their policies and assignments. */
  accessPackageManagers?: UserId[];
  /** Access package assignment managers: see and manage its packages' assignments. */
  accessPackageAssignmentManagers?: UserId[];
  enabled: boolean;
  /** Whether users from connected organisations may see and request its packages. */
  externallyVisible: boolean;
  channel?: ChannelRef;
  /** Custom extensions: outbound webhooks at lifecycle stages, and approval extensions. */
  extensions?: CustomExtension[];
}

/** A role in a resource that an access package grants. Sites and Teams are granted through their groups. */
export type ResourceRole =
  | { kind: "groupMember"; groupId: GroupId; displayName: string }
  | { kind: "groupOwner"; groupId: GroupId; displayName: string }
  | {
      kind: "appRole";
      servicePrincipalId: string;
      appRoleId: string;
      displayName: string;
      roleName: string;
    }
  | { kind: "siteRole"; groupId: GroupId; siteUrl: string; displayName: string; roleName: string }
  | { kind: "teamMember"; groupId: GroupId; displayName: string };

export interface AccessPackage {
  id: string;
  catalogId: string;
  name: string;
  description: string;
  /** Hidden packages do not show up in search; they are requested by link or id. */
  hidden: boolean;
  resourceRoles: ResourceRole[];
  /** Separation of duties: holding or requesting one of these blocks this package. */
  incompatiblePackageIds: string[];
  /** Separation of duties: members of these groups may not get this package. */
  incompatibleGroupIds: GroupId[];
  /** Extra words people use for this package ("CRM" for Salesforce). */
  keywords: string[];
  channel?: ChannelRef;
}

/** Who may request access under a policy. */
export type RequestorScope =
  | { kind: "none" }
  | { kind: "specific"; userIds: UserId[]; groupIds: GroupId[] }
  | { kind: "allMembers" }
  | { kind: "allUsers" }
  | { kind: "connectedOrganizations"; organizationIds: string[] | "all" };

export type Question =
  | { id: string; text: string; kind: "shortText"; required: boolean; regex?: string }
  | { id: string; text: string; kind: "longText"; required: boolean; regex?: string }
  | { id: string; text: string; kind: "multipleChoice"; required: boolean; choices: string[] };

/** Who approves or reviews; resolved to concrete users when a stage or review starts. */
export type ApproverSpec =
  | { kind: "manager"; level: 1 | 2 }
  | { kind: "users"; userIds: UserId[] }
  | { kind: "groupMembers"; groupId: GroupId }
  | { kind: "sponsors"; which: "internal" | "external" | "both" };

export type ReviewerSpec = ApproverSpec | { kind: "self" };

export interface ApprovalStageSpec {
  primaryApprovers: ApproverSpec[];
  /** Used when the primary approvers resolve to nobody (no manager, empty group). */
  fallbackApprovers: ApproverSpec[];
  approverJustificationRequired: boolean;
  /** After this many days without a decision the request is denied automatically. Default 14. */
  decisionWindowDays: number;
  /** Alternate approvers asked after `afterDays`; primaries can still decide. */
  escalation?: { afterDays: number; approvers: ApproverSpec[] };
  /** An approval extension of the catalog that decides this stage too (as `extension:<id>`). */
  extensionApprover?: string;
  /**
   * A decision counts only after a fresh multi-factor sign-in of the approver (step-up,
   * src/domain/step-up). Absent means no step-up.
   */
  requireStepUp?: boolean;
  /** How recent that sign-in must be, in minutes (1–60); default 10. */
  stepUpFreshnessMinutes?: number;
}

export type Expiry =
  | { kind: "never" }
  | { kind: "onDate"; date: Instant }
  | { kind: "afterDays"; days: number }
  | { kind: "afterHours"; hours: number };

export type ReviewRecurrence = "monthly" | "quarterly" | "semiAnnual" | "annual";

export interface ReviewSettings {
  recurrence: ReviewRecurrence;
  startDate: Instant;
  durationDays: number;
  reviewers: ReviewerSpec[];
  fallbackReviewers: ApproverSpec[];
  /**
   * Days after a review's start when the fallback reviewers join the items nobody decided yet
   * ("if the manager is on leave or doesn't respond"). Absent: they are used only when nobody resolves.
   */
  escalateAfterDays?: number;
  justificationRequired: boolean;
  /** What happens to items nobody reviewed when the review ends. */
  ifNoResponse: "keep" | "remove" | "recommendation";
}

export interface AssignmentPolicy {
  id: string;
  packageId: string;
  name: string;
  description: string;
  requestors: RequestorScope;
  request: {
    selfService: boolean;
    justificationRequired: boolean;
    /** Managers may request for their direct reports. */
    onBehalfOfByManagers: boolean;
    questions: Question[];
    /** Requester may pick start/end; end is capped by the expiry below. */
    requesterSchedule: boolean;
  };
  approval: { required: boolean; stages: ApprovalStageSpec[] };
  lifecycle: {
    expiry: Expiry;
    extension: { allowed: boolean; requiresApproval: boolean };
    /** Users may remove their own assignment. */
    selfRemoval: boolean;
    review?: ReviewSettings;
    /**
     * Members of the package's resources that no assignment grants (added outside Access Desk):
     * "report" them to the catalog owners (the default) or also "remove" them. They are removed only
     * when every policy of every package granting the resource says "remove".
     */
    outOfBandMembers?: "report" | "remove";
  };
  /** Rule-based automatic assignment (Entra dynamic-group syntax). */
  autoAssignment?: { rule: string; enabled: boolean; removalGraceHours: number };
  /** Custom extensions of the catalog picked by this policy (besides the catalog's every-policy ones). */
  extensions?: string[];
}

export interface ConnectedOrganization {
  id: string;
  name: string;
  description: string;
  /** Only "configured" organisations can request. */
  state: "configured" | "proposed";
  domains: string[];
  internalSponsors: UserId[];
  externalSponsors: UserId[];
  /** What happens to its guests once their last access package ended; absent: nothing. */
  guestLifecycle?: GuestLifecycleSettings;
}

/** The declared governance configuration: everything `governance apply` writes. */
export interface GovernanceConfig {
  catalogs: Catalog[];
  packages: AccessPackage[];
  policies: AssignmentPolicy[];
  connectedOrganizations: ConnectedOrganization[];
}
