import type { AuditReader } from "../domain/admin/audit-access";
import type { Delegation } from "../domain/delegation/delegation";
import type { AuditEntry, UserId } from "../domain/model";
import type { ViewContext } from "./read-models";

/** Whose audit trail: one person's entries, or one access package's. */
export type AuditAbout = { kind: "person"; userId: UserId } | { kind: "package"; packageId: string };

/** `audit <person|package>`: what the audit card shows. */
export interface AuditTrailModel {
  ctx: ViewContext;
  about: AuditAbout;
  /** The person's or package's name, as the card titles it. */
  name: string;
  role: AuditReader;
  days?: number;
  /** Newest first; for a catalog owner or reader only those of their catalogs' packages. */
  entries: AuditEntry[];
}

/** `delegations`: the delegations in force, with the people they name loaded. */
export interface DelegationsModel {
  ctx: ViewContext;
  delegations: Delegation[];
}
