import type { AuditEntry } from "../model";
import { sha256Hex } from "./sha256";

/**
 * The audit chain: entries are chained per UTC day. Entry `seq` of day `day` carries
 * `hash = SHA-256(prevHash | canonical {day, seq, entry})`, where `prevHash` is the hash of entry
 * `seq - 1` (GENESIS for the first). The day's head names its last seq and hash; once the day is
 * closed an anchor chains it to the anchor of the day before. See docs/audit.md.
 */
export const GENESIS = "0".repeat(64);

/** A UTC day, YYYY-MM-DD. */
export type AuditDay = string;

export interface ChainLink {
  day: AuditDay;
  seq: number;
  prevHash: string;
  hash: string;
}

/** An entry as the chain stores it. `misplaced` says why the row it was read from does not fit it. */
export interface ChainedEntry extends ChainLink {
  entry: AuditEntry;
  misplaced?: string;
}

/** The last link of a day; `sealed` once the day is closed (later entries go to the next open day). */
export interface ChainHead {
  day: AuditDay;
  seq: number;
  hash: string;
  sealed: boolean;
}

/** A closed day's fingerprint, chained to the anchor before it; kept when the day is purged. */
export interface DayAnchor {
  day: AuditDay;
  seq: number;
  headHash: string;
  prevAnchor: string;
  hash: string;
  purged?: boolean;
}

/** JSON with keys sorted at every level and undefined left out: one text per meaning. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
}

export function entryHash(prevHash: string, day: AuditDay, seq: number, entry: AuditEntry): string {
  return sha256Hex(`${prevHash}|${canonicalJson({ day, seq, entry })}`);
}

export function anchorHash(prevAnchor: string, day: AuditDay, seq: number, headHash: string): string {
  return sha256Hex(`${prevAnchor}|${canonicalJson({ day, seq, headHash })}`);
}

/** The day an instant falls on, UTC. */
export function dayOf(instant: string): AuditDay {
  return new Date(instant).toISOString().slice(0, 10);
}

export function nextDay(day: AuditDay): AuditDay {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Links entries after a head (none: the day's first), in the order given. */
export function chainEntries(
  head: { seq: number; hash: string } | undefined,
  day: AuditDay,
  entries: AuditEntry[],
): { links: ChainedEntry[]; head: { seq: number; hash: string } } {
  let seq = head?.seq ?? 0;
  let hash = head?.hash ?? GENESIS;
  const links = entries.map((entry) => {
    seq += 1;
    const prevHash = hash;
    hash = entryHash(prevHash, day, seq, entry);
    return { day, seq, prevHash, hash, entry };
  });
  return { links, head: { seq, hash } };
}

/** The anchor closing `day` after the anchor `prevAnchor` (GENESIS for the first day ever). */
export function anchorFor(prevAnchor: string, head: { day: AuditDay; seq: number; hash: string }): DayAnchor {
  return {
    day: head.day,
    seq: head.seq,
    headHash: head.hash,
    prevAnchor,
    hash: anchorHash(prevAnchor, head.day, head.seq, head.hash),
  };
}

/** Same meaning, whatever the key order: what "an insert of identical content" compares. */
export function sameEntry(a: AuditEntry, b: AuditEntry): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
