import type {
  AccessPackage,
  ApprovalStageSpec,
  ApproverSpec,
  AssignmentPolicy,
  Catalog,
  ChannelRef,
  ConnectedOrganization,
  Expiry,
  Question,
  RequestorScope,
  ResourceRole,
  ReviewerSpec,
  ReviewSettings,
} from "../domain/model";
import { isRealInstant } from "./dates";
import {
  type RawExtension,
  type RawStageApprover,
  splitStageApprovers,
  toExtension,
} from "./extension-mapping";
import { DEFAULT_STEP_UP_FRESHNESS_MINUTES } from "../domain/step-up/step-up";

/*
 * The files as written (already shape-checked) and their mapping onto the model, with the defaults
 * documented in docs/governance.md. Defaults lean towards safe governance: justification on,
 * access expiring after a year, a 14-day decision window.
 */

export const DEFAULTS = {
  decisionWindowDays: 14,
  expiry: { kind: "afterDays", days: 365 } as Expiry,
  reviewDurationDays: 14,
  removalGraceHours: 0,
} as const;

export interface RawCatalog {
  id: string;
  name: string;
  description?: string;
  owners?: string[];
  readers?: string[];
  accessPackageManagers?: string[];
  accessPackageAssignmentManagers?: string[];
  enabled?: boolean;
  externallyVisible?: boolean;
  channel?: ChannelRef;
  extensions?: RawExtension[];
}

export interface RawConnectedOrganization {
  id: string;
  name: string;
  description?: string;
  state?: "configured" | "proposed";
  domains: string[];
  internalSponsors?: string[];
  externalSponsors?: string[];
  guestLifecycle?: { blockSignIn?: boolean; deleteAfterDays?: number; allGuests?: boolean };
}

type RawApprover = { kind: "manager"; level?: 1 | 2 } | Exclude<ApproverSpec, { kind: "manager" }>;
type RawReviewer = RawApprover | { kind: "self" };

interface RawStage {
  primaryApprovers: RawStageApprover<RawApprover>[];
  fallbackApprovers?: RawApprover[];
  approverJustificationRequired?: boolean;
  decisionWindowDays?: number;
  escalation?: { afterDays: number; approvers: RawApprover[] };
  requireStepUp?: boolean;
  stepUpFreshnessMinutes?: number;
}

export interface RawPolicy {
  id: string;
  name: string;
  description?: string;
  requestors?: RequestorScope;
  request?: Partial<Omit<AssignmentPolicy["request"], "questions">> & { questions?: RawQuestion[] };
  approval?: { required?: boolean; stages?: RawStage[] };
  lifecycle?: {
    expiry?: Expiry;
    extension?: { allowed?: boolean; requiresApproval?: boolean };
    selfRemoval?: boolean;
    outOfBandMembers?: "report" | "remove";
    review?: Omit<
      ReviewSettings,
      "durationDays" | "reviewers" | "fallbackReviewers" | "justificationRequired" | "ifNoResponse"
    > &
      Partial<Pick<ReviewSettings, "durationDays" | "justificationRequired" | "ifNoResponse">> & {
        reviewers: RawReviewer[];
        fallbackReviewers?: RawApprover[];
      };
  };
  autoAssignment?: { rule: string; enabled?: boolean; removalGraceHours?: number };
  extensions?: string[];
}

type RawQuestion = (
  | { kind: "shortText" | "longText"; regex?: string }
  | { kind: "multipleChoice"; choices: string[] }
) & { id: string; text: string; required?: boolean };

export interface RawPackage {
  id?: string;
  name: string;
  description?: string;
  catalogId: string;
  hidden?: boolean;
  keywords?: string[];
  resources: (
    | ResourceRole
    | (Omit<Extract<ResourceRole, { kind: "siteRole" }>, "roleName"> & { roleName?: string })
  )[];
  incompatiblePackageIds?: string[];
  incompatibleGroupIds?: string[];
  channel?: ChannelRef;
  policies: RawPolicy[];
}

export function toCatalog(c: RawCatalog): Catalog {
  return {
    id: c.id,
    name: c.name,
    description: c.description ?? "",
    owners: c.owners ?? [],
    // Declared roles only: a catalog without them reads as it did before roles existed.
    ...(c.readers?.length ? { readers: c.readers } : {}),
    ...(c.accessPackageManagers?.length ? { accessPackageManagers: c.accessPackageManagers } : {}),
    ...(c.accessPackageAssignmentManagers?.length
      ? { accessPackageAssignmentManagers: c.accessPackageAssignmentManagers }
      : {}),
    enabled: c.enabled ?? true,
    externallyVisible: c.externallyVisible ?? false,
    ...(c.channel ? { channel: c.channel } : {}),
    ...(c.extensions?.length ? { extensions: c.extensions.map(toExtension) } : {}),
  };
}

export function toConnectedOrganization(o: RawConnectedOrganization): ConnectedOrganization {
  return {
    id: o.id,
    name: o.name,
    description: o.description ?? "",
    state: o.state ?? "configured",
    domains: o.domains.map((d) => d.toLowerCase()),
    internalSponsors: o.internalSponsors ?? [],
    externalSponsors: o.externalSponsors ?? [],
    // Left out when not declared, so organisations stored before it compare unchanged.
    ...(o.guestLifecycle
      ? {
          guestLifecycle: {
            blockSignIn: o.guestLifecycle.blockSignIn ?? true,
            deleteAfterDays: o.guestLifecycle.deleteAfterDays ?? 30,
            appliesTo: o.guestLifecycle.allGuests ? ("allGuests" as const) : ("invitedByAccessDesk" as const),
          },
        }
      : {}),
  };
}

export function toPackage(p: RawPackage, id: string): AccessPackage {
  return {
    id,
    catalogId: p.catalogId,
    name: p.name,
    description: p.description ?? "",
    hidden: p.hidden ?? false,
    resourceRoles: p.resources.map((r) =>
      r.kind === "siteRole" ? { ...r, roleName: r.roleName ?? "Member" } : r,
    ),
    incompatiblePackageIds: p.incompatiblePackageIds ?? [],
    incompatibleGroupIds: p.incompatibleGroupIds ?? [],
    keywords: p.keywords ?? [],
    ...(p.channel ? { channel: p.channel } : {}),
  };
}

export function toPolicy(p: RawPolicy, packageId: string): AssignmentPolicy {
  const stages = (p.approval?.stages ?? []).map(toStage);
  const review = p.lifecycle?.review;
  return {
    id: p.id,
    packageId,
    name: p.name,
    description: p.description ?? "",
    // An auto-assignment policy has no requestors; any other policy must say who may ask (checked).
    requestors: toRequestors(p.requestors),
    request: {
      selfService: p.request?.selfService ?? true,
      justificationRequired: p.request?.justificationRequired ?? true,
      onBehalfOfByManagers: p.request?.onBehalfOfByManagers ?? false,
      questions: (p.request?.questions ?? []).map(toQuestion),
      requesterSchedule: p.request?.requesterSchedule ?? false,
    },
    approval: { required: p.approval?.required ?? stages.length > 0, stages },
    lifecycle: {
      expiry: toExpiry(p.lifecycle?.expiry ?? DEFAULTS.expiry),
      extension: {
        allowed: p.lifecycle?.extension?.allowed ?? false,
        requiresApproval: p.lifecycle?.extension?.requiresApproval ?? true,
      },
      selfRemoval: p.lifecycle?.selfRemoval ?? true,
      ...(p.lifecycle?.outOfBandMembers ? { outOfBandMembers: p.lifecycle.outOfBandMembers } : {}),
      ...(review
        ? {
            review: {
              recurrence: review.recurrence,
              startDate: toInstant(review.startDate),
              durationDays: review.durationDays ?? DEFAULTS.reviewDurationDays,
              reviewers: review.reviewers.map(toReviewer),
              fallbackReviewers: (review.fallbackReviewers ?? []).map(toApprover),
              ...(review.escalateAfterDays !== undefined
                ? { escalateAfterDays: review.escalateAfterDays }
                : {}),
              justificationRequired: review.justificationRequired ?? true,
              ifNoResponse: review.ifNoResponse ?? "keep",
            },
          }
        : {}),
    },
    ...(p.autoAssignment
      ? {
          autoAssignment: {
            rule: p.autoAssignment.rule,
            enabled: p.autoAssignment.enabled ?? true,
            removalGraceHours: p.autoAssignment.removalGraceHours ?? DEFAULTS.removalGraceHours,
          },
        }
      : {}),
    ...(p.extensions?.length ? { extensions: p.extensions } : {}),
  };
}

function toRequestors(r: RequestorScope | undefined): RequestorScope {
  if (!r) return { kind: "none" };
  return r.kind === "specific"
    ? { kind: "specific", userIds: r.userIds ?? [], groupIds: r.groupIds ?? [] }
    : r;
}

function toStage(s: RawStage): ApprovalStageSpec {
  const { people, extensionApprover } = splitStageApprovers(s.primaryApprovers);
  return {
    ...(extensionApprover ? { extensionApprover } : {}),
    primaryApprovers: people.map(toApprover),
    fallbackApprovers: (s.fallbackApprovers ?? []).map(toApprover),
    approverJustificationRequired: s.approverJustificationRequired ?? false,
    decisionWindowDays: s.decisionWindowDays ?? DEFAULTS.decisionWindowDays,
    // Only when set, so configurations stored before step-up existed plan no change.
    ...(s.requireStepUp ? { requireStepUp: true } : {}),
    ...(s.requireStepUp || s.stepUpFreshnessMinutes !== undefined
      ? { stepUpFreshnessMinutes: s.stepUpFreshnessMinutes ?? DEFAULT_STEP_UP_FRESHNESS_MINUTES }
      : {}),
    ...(s.escalation
      ? {
          escalation: {
            afterDays: s.escalation.afterDays,
            approvers: s.escalation.approvers.map(toApprover),
          },
        }
      : {}),
  };
}

function toApprover(a: RawApprover): ApproverSpec {
  return a.kind === "manager" ? { kind: "manager", level: a.level ?? 1 } : a;
}

function toReviewer(r: RawReviewer): ReviewerSpec {
  return r.kind === "self" ? r : toApprover(r);
}

function toQuestion(q: RawQuestion): Question {
  if (q.kind === "multipleChoice") {
    return { id: q.id, text: q.text, kind: q.kind, required: q.required ?? true, choices: q.choices };
  }
  return {
    id: q.id,
    text: q.text,
    kind: q.kind,
    required: q.required ?? true,
    ...(q.regex ? { regex: q.regex } : {}),
  };
}

function toExpiry(e: Expiry): Expiry {
  return e.kind === "onDate" ? { kind: "onDate", date: toInstant(e.date) } : e;
}

/** "2027-06-30" -> "2027-06-30T00:00:00.000Z"; an invalid date is left as is for the checks to report. */
export function toInstant(value: string): string {
  if (!isRealInstant(value)) return value;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}
