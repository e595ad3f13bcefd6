import type { GovernanceIndex } from "../governance-index";
import type {
  AccessRequest,
  AssignmentPolicy,
  ConnectedOrganization,
  Deadline,
  DirectoryUser,
  Instant,
  UserId,
} from "../model";
import { addMinutes } from "../time";
import { domainError } from "../errors";
import { err, ok, type Result } from "../result";
import { scopeIncludes, visiblePackage } from "../policy/eligibility";

/**
 * Sponsor-initiated external access: an internal user asks for a partner who has no account yet.
 * Until the approved invitation creates the guest account, the request's target is an invitee id
 * that carries the address itself (`invitee:tomas@fabrikam.com`), so it needs no store of its own
 * and the directory can describe it (a guest of the organisation that owns the domain).
 */
const PREFIX = "invitee:";
const ADDRESS = /^[a-z0-9._-]{1,64}@[a-z0-9.-]{1,190}\.[a-z]{2,24}$/;

/** What the request records about the invitation (the sponsor is also its requester). */
export interface Invitation {
  email: string;
  organizationId: string;
  sponsorId: UserId;
  /** Set once the guest account exists: the request's target is that account from then on. */
  invitedUserId?: UserId;
  invitedAt?: Instant;
  /** Invitations that failed in a way asking again may fix, since the last success or give-up. */
  failedAttempts?: number;
}

/** Invitations tried before the delivery fails for good (the catalog owner may then Reprocess). */
export const INVITE_ATTEMPTS = 5;

/**
 * After an invitation failed in a way asking again may fix: the request keeps delivering with the
 * attempt counted and a retry due after a backoff (1, 2, 4, 8 minutes); undefined once the attempts
 * are spent, and the delivery fails.
 */
export function invitationRetry(
  request: AccessRequest,
  now: Instant,
): { next: AccessRequest; deadline: Deadline } | undefined {
  const invitation = request.invitation;
  if (!invitation) return undefined;
  const failed = (invitation.failedAttempts ?? 0) + 1;
  if (failed >= INVITE_ATTEMPTS) return undefined;
  return {
    next: { ...request, invitation: { ...invitation, failedAttempts: failed }, updatedAt: now },
    deadline: {
      kind: "deliveryRetry",
      dueAt: addMinutes(now, 2 ** (failed - 1)),
      subjectId: request.id,
      discriminator: `invite-${failed}`,
    },
  };
}

/** The invitation with its failed attempts forgotten: a Reprocess starts a fresh budget. */
export function withoutInviteAttempts(request: AccessRequest): AccessRequest {
  if (!request.invitation?.failedAttempts) return request;
  const { failedAttempts: _spent, ...invitation } = request.invitation;
  return { ...request, invitation };
}

export const inviteeId = (email: string): UserId => `${PREFIX}${email.trim().toLowerCase()}`;
export const isInviteeId = (id: string): boolean => id.startsWith(PREFIX);
export const inviteeEmail = (id: string): string | undefined =>
  isInviteeId(id) ? id.slice(PREFIX.length) : undefined;

/** The address as typed, lower case, or undefined when it is not one. */
export function normalizeAddress(text: string): string | undefined {
  const email = text.trim().toLowerCase();
  return ADDRESS.test(email) && !email.includes("..") ? email : undefined;
}

/** The organisation that owns the address's domain, configured or not. */
export function organizationOfAddress(
  email: string,
  organizations: readonly ConnectedOrganization[],
): ConnectedOrganization | undefined {
  const domain = email.split("@").pop() ?? "";
  return organizations.find((o) => o.domains.some((d) => d.toLowerCase() === domain));
}

/** The invitee as the directory describes it before the account exists: a guest of `org`. */
export function inviteeUser(email: string, org: ConnectedOrganization | undefined): DirectoryUser {
  return {
    id: inviteeId(email),
    displayName: email,
    userPrincipalName: email,
    mail: email,
    userType: "Guest",
    accountEnabled: true,
    ...(org ? { connectedOrganizationId: org.id } : {}),
    externalUserState: "NotInvited",
  };
}

export interface InvitationPlan {
  email: string;
  organization: ConnectedOrganization;
  invitee: DirectoryUser;
  policies: AssignmentPolicy[];
}

/**
 * Whether `inviter` may bring `address` in for the package, and under which policies. Refused when
 * the inviter is external, the address is none, its domain belongs to no configured connected
 * organisation, or no policy of the package lets that organisation's users have it.
 */
export function planInvitation(
  index: GovernanceIndex,
  inviter: DirectoryUser,
  address: string,
  packageId: string,
): Result<InvitationPlan> {
  if (inviter.userType !== "Member" || !inviter.accountEnabled) {
    return err(
      domainError(
        "INVITE.NOT_ALLOWED",
        "Only people of the organisation can invite a partner; ask your sponsor to invite them.",
      ),
    );
  }
  const email = normalizeAddress(address);
  if (!email) {
    return err(domainError("INVITE.INVALID_ADDRESS", `"${address.slice(0, 80)}" is not an e-mail address.`));
  }
  const domain = email.split("@").pop()!;
  const org = organizationOfAddress(email, index.config.connectedOrganizations);
  if (!org || org.state !== "configured") {
    return err(
      domainError(
        "INVITE.NO_ORGANIZATION",
        `${domain} belongs to no connected organisation, so nobody from it can be invited. A governance administrator can add the organisation first.`,
        { details: { domain } },
      ),
    );
  }
  const invitee = inviteeUser(email, org);
  const person = { user: invitee, groupIds: [] };
  const pkg = visiblePackage(index, packageId, person);
  if (!pkg.ok) {
    const named = index.package(packageId);
    return err(
      named
        ? domainError(
            "INVITE.POLICY_NOT_ALLOWED",
            `"${named.name}" is not open to partners: its catalog is not visible to connected organisations.`,
          )
        : pkg.error,
    );
  }
  const policies = index
    .policiesOfPackage(packageId)
    .filter((p) => scopeIncludes(p.requestors, person, index));
  if (policies.length === 0) {
    return err(
      domainError(
        "INVITE.POLICY_NOT_ALLOWED",
        `No policy of "${pkg.value.name}" allows users of ${org.name}, so ${email} can't be invited to it.`,
        { details: { organizationId: org.id } },
      ),
    );
  }
  return ok({ email, organization: org, invitee, policies });
}

/** The request's target becomes the guest account the invitation created. */
export function recordInvitation(request: AccessRequest, userId: UserId, now: Instant): AccessRequest {
  if (!request.invitation || request.invitation.invitedUserId) return request;
  return {
    ...request,
    targetUserId: userId,
    invitation: { ...request.invitation, invitedUserId: userId, invitedAt: now },
    updatedAt: now,
    revision: request.revision + 1,
  };
}
