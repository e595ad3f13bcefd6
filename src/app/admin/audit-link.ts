import { domainError, type DomainError } from "../../domain/errors";
import type { Instant, UserId } from "../../domain/model";
import { err, ok, type Result } from "../../domain/result";
import { addMinutes } from "../../domain/time";
import { exportAudit, MAX_AUDIT_QUERY_LIMIT } from "../audit";
import type { AppDeps } from "../deps";
import { nowIso } from "../shared/context";
import { auditRow } from "../shared/effects";
import { type AuditAbout, auditTrail, subjectOf } from "./audit-trail";

/** How long a download link works unless configured otherwise. */
export const AUDIT_LINK_MINUTES = 10;
const SOURCE = "link:audit.csv";

/** What a link says, signed: who asked, for what, until when; `n` makes it single-use. */
interface LinkClaims {
  v: 1;
  n: string;
  a: UserId;
  k: "u" | "p";
  i: string;
  d?: number;
  e: Instant;
}

/**
 * A download link's token for the audit CSV the actor may read now: `<claims>.<signature>`, both
 * base64url. The claims carry the asker and an expiry; the HMAC keeps them as issued. Undefined when
 * no signer is configured (production without AUDIT_LINK_SECRET).
 */
export function issueAuditLink(
  deps: AppDeps,
  input: { actorId: UserId; about: AuditAbout; days?: number },
): { token: string; expiresAt: Instant } | undefined {
  const links = deps.auditLinks;
  if (!links) return undefined;
  const expiresAt = addMinutes(nowIso(deps), links.ttlMinutes ?? AUDIT_LINK_MINUTES);
  const claims: LinkClaims = {
    v: 1,
    n: deps.ids.next("lnk"),
    a: input.actorId,
    k: input.about.kind === "person" ? "u" : "p",
    i: input.about.kind === "person" ? input.about.userId : input.about.packageId,
    ...(input.days !== undefined ? { d: input.days } : {}),
    e: expiresAt,
  };
  const body = Buffer.from(JSON.stringify(claims), "utf8").toString("base64url");
  return { token: `${body}.${links.signer.sign(body)}`, expiresAt };
}

/**
 * The CSV behind a download link, or why not: a forged or malformed link, an expired one, one used
 * before (each link works once), or an asker who no longer holds the role (checked again now, as
 * at the chat). Every refusal is audited; so is the download (`admin.viewed`, `audit.csv`).
 */
export async function redeemAuditLink(
  deps: AppDeps,
  token: string,
): Promise<Result<{ csv: string; filename: string }, DomainError>> {
  const links = deps.auditLinks;
  if (!links) return refuse(deps, "anonymous", "Audit downloads are not configured here.");
  const [body, signature, extra] = token.split(".");
  if (
    !body ||
    !signature ||
    extra !== undefined ||
    token.length > 2000 ||
    !links.signer.verify(body, signature)
  )
    return refuse(deps, "anonymous", "This download link is not valid.");
  const claims = readClaims(body);
  if (!claims) return refuse(deps, "anonymous", "This download link is not valid.");
  const about: AuditAbout =
    claims.k === "u" ? { kind: "person", userId: claims.i } : { kind: "package", packageId: claims.i };
  if (Date.parse(nowIso(deps)) >= Date.parse(claims.e))
    return refuse(
      deps,
      claims.a,
      "This download link has expired: ask Access Desk for the audit again.",
      about,
    );
  if (!(await links.used.claim(claims.n, claims.e)))
    return refuse(
      deps,
      claims.a,
      "This download link was used already: ask Access Desk for the audit again.",
      about,
    );
  const trail = await auditTrail(deps, {
    actorId: claims.a,
    about,
    ...(claims.d !== undefined ? { days: claims.d } : {}),
    source: SOURCE,
    limit: MAX_AUDIT_QUERY_LIMIT,
    csv: true,
  });
  if (!trail.ok) return err(trail.error);
  const name = claims.i.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 60) || "audit";
  return ok({ csv: exportAudit(trail.value.entries, "csv"), filename: `audit-${name}.csv` });
}

function readClaims(body: string): LinkClaims | undefined {
  try {
    const c = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Partial<LinkClaims>;
    const text = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 200;
    if (c.v !== 1 || !text(c.n) || !text(c.a) || !text(c.i) || !text(c.e) || (c.k !== "u" && c.k !== "p"))
      return undefined;
    if (c.d !== undefined && !Number.isInteger(c.d)) return undefined;
    return c as LinkClaims;
  } catch {
    return undefined;
  }
}

async function refuse(
  deps: AppDeps,
  actor: UserId,
  message: string,
  about?: AuditAbout,
): Promise<Result<never, DomainError>> {
  const error = domainError("AUDIT.LINK_INVALID", message);
  await deps.audit.append([
    auditRow(deps, {
      actor,
      action: "admin.refused",
      subject: about ? subjectOf(about) : "link:audit.csv",
      ...(about?.kind === "package" ? { packageId: about.packageId } : {}),
      ...(about?.kind === "person" ? { targetUserId: about.userId } : {}),
      source: SOURCE,
      reason: message,
      details: { code: error.code },
    }),
  ]);
  return err(error);
}
