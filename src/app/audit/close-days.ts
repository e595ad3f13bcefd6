import { type AuditDay, type DayAnchor, GENESIS, anchorFor, dayOf, nextDay } from "../../domain/audit/chain";
import type { AuditChainStore } from "../../ports/audit-chain";

/** A day is closed this long after it ends: effects still running at midnight land in it first. */
export const DAY_CLOSE_GRACE_MS = 60 * 60_000;
export const DEFAULT_AUDIT_RETENTION_DAYS = 2557;
const DAY_MS = 86_400_000;

export interface ClosedDays {
  anchored: DayAnchor[];
  /** Days listed after a later day was anchored (cannot join the anchor chain); their entries went on to later days. */
  late: AuditDay[];
}

/**
 * Anchors every day that ended more than the grace ago and has none yet, oldest first: seals the
 * day (no entry joins it afterwards), then stores the anchor over its head and the anchor before.
 * The days without entries between two anchored days are sealed too, so no late entry opens them.
 * Safe to run on several instances: sealing and anchoring are idempotent.
 */
export async function closeAuditDays(chain: AuditChainStore, now: Date): Promise<ClosedDays> {
  const closeBefore = dayOf(new Date(now.getTime() - DAY_CLOSE_GRACE_MS).toISOString());
  const [days, anchors] = await Promise.all([chain.listDays(), chain.anchors()]);
  const anchoredDays = new Set(anchors.map((a) => a.day));
  const last = anchors.at(-1);
  let prev = last?.hash ?? GENESIS;
  let lastDay = last?.day;
  const result: ClosedDays = { anchored: [], late: [] };
  for (const day of days.filter((d) => d < closeBefore && !anchoredDays.has(d)).sort()) {
    if (lastDay !== undefined && day < lastDay) {
      result.late.push(day);
      continue;
    }
    if (lastDay !== undefined) for (let d = nextDay(lastDay); d < day; d = nextDay(d)) await chain.sealDay(d);
    const anchor = anchorFor(prev, await chain.sealDay(day));
    await chain.addAnchor(anchor);
    result.anchored.push(anchor);
    prev = anchor.hash;
    lastDay = day;
  }
  return result;
}

export interface PurgeResult {
  days: AuditDay[];
  entries: number;
}

/**
 * Deletes whole days older than the retention (after anchoring what is closed); their anchors stay,
 * marked purged, so the anchor chain and every later day still verify.
 */
export async function purgeAudit(
  chain: AuditChainStore,
  now: Date,
  retentionDays: number,
): Promise<PurgeResult> {
  await closeAuditDays(chain, now);
  const cutoff = dayOf(new Date(now.getTime() - retentionDays * DAY_MS).toISOString());
  const result: PurgeResult = { days: [], entries: 0 };
  for (const anchor of await chain.anchors()) {
    if (anchor.day >= cutoff || anchor.purged) continue;
    result.entries += await chain.purgeDay(anchor.day);
    result.days.push(anchor.day);
  }
  return result;
}
