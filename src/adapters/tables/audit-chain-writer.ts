import type { TableClient, TransactionAction } from "@azure/data-tables";
import { type AuditDay, GENESIS, chainEntries, dayOf, nextDay, sameEntry } from "../../domain/audit/chain";
import type { ChainLink } from "../../domain/audit/chain";
import type { AuditEntry } from "../../domain/model";
import { AuditConflictError } from "../../ports/audit-chain";
import { statusOf, tolerating } from "./errors";
import { jsonColumns, readJsonColumns } from "./json-columns";
import { encodeKey, invertedTime, key } from "./keys";

/** The head row of a day partition; `~` sorts after every entry's inverted-time row key. */
export const HEAD_ROW = "~head";
/** Anchors live in one partition, a row per day, plus `~latest` naming the newest anchored day. */
export const ANCHORS = "anchors";
export const LATEST_ANCHOR = "~latest";
/** The day directory: one row per day that has entries. */
export const DAYS = "days";

export const dayPartition = (day: AuditDay): string => key("d", day);
export const entryRowKey = (entry: Pick<AuditEntry, "at" | "id">): string =>
  `${invertedTime(entry.at)}|${encodeKey(entry.id)}`;

/** The row of a chained entry: its JSON plus its link (the day is its partition). */
export function chainRow(link: ChainLink & { entry: AuditEntry }): TransactionAction[1] {
  return {
    partitionKey: dayPartition(link.day),
    rowKey: entryRowKey(link.entry),
    ...jsonColumns(`audit entry ${link.entry.id}`, link.entry),
    chainSeq: link.seq,
    prevHash: link.prevHash,
    hash: link.hash,
  };
}

interface Waiter {
  entry: AuditEntry;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface HeadState {
  seq: number;
  hash: string;
  sealed: boolean;
  /** Absent: the head row does not exist yet (the next commit creates it). */
  etag?: string;
}

/** A transaction holds 100 operations (one is the head) and at most 4 MiB: stay well under. */
const MAX_ENTRIES = 99;
const MAX_BATCH_CHARS = 1_500_000;
const MAX_ATTEMPTS = 12;
/** How long a process trusts its copy of the newest anchored day. */
const SEALED_MEMO_MS = 10 * 60_000;
const REMEMBERED_HEADS = 8;

/**
 * Appends entries to their day's chain. Per day, one commit is in flight per process; entries that
 * arrive meanwhile join the next one (group commit). A commit is one transaction on the day's
 * partition: the entries as inserts plus the head replaced at the ETag this process last saw, so an
 * entry and the head that counts it are stored together or not at all. Another instance's commit in
 * between costs a 412, one read of the head and a retry; an entry that exists already (a replay, or
 * a retried request that storage carried out) costs a 409 and a read, and is kept as it is.
 */
export class DayChainWriter {
  private readonly heads = new Map<AuditDay, HeadState>();
  private readonly queues = new Map<AuditDay, Waiter[]>();
  private readonly busy = new Set<AuditDay>();
  private sealed?: { through: AuditDay | undefined; at: number };

  constructor(private readonly client: TableClient) {}

  append(entries: AuditEntry[]): Promise<void> {
    return Promise.all(
      entries.map(
        (entry) =>
          new Promise<void>((resolve, reject) => this.enqueue(dayOf(entry.at), { entry, resolve, reject })),
      ),
    ).then(() => undefined);
  }

  /** Forgets what this process knows of a day (after it sealed or purged it). */
  forget(day: AuditDay): void {
    this.heads.delete(day);
    this.sealed = undefined;
  }

  private enqueue(day: AuditDay, waiter: Waiter): void {
    const queue = this.queues.get(day) ?? [];
    queue.push(waiter);
    this.queues.set(day, queue);
    if (this.busy.has(day)) return;
    this.busy.add(day);
    // Start on the next microtask, so the entries of one call leave together.
    queueMicrotask(() => void this.drain(day));
  }

  private async drain(day: AuditDay): Promise<void> {
    try {
      for (;;) {
        const queue = this.queues.get(day);
        if (!queue || queue.length === 0) break;
        let chars = 0;
        let n = 0;
        while (n < queue.length && n < MAX_ENTRIES && (n === 0 || chars < MAX_BATCH_CHARS)) {
          chars += JSON.stringify(queue[n]!.entry).length;
          n += 1;
        }
        const batch = queue.splice(0, n);
        await this.commit(day, batch).catch((error: unknown) => batch.forEach((w) => w.reject(error)));
      }
    } finally {
      this.queues.delete(day);
      this.busy.delete(day);
    }
  }

  private async commit(day: AuditDay, batch: Waiter[]): Promise<void> {
    let pending = this.withoutTwins(batch);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`audit day ${day}: ${attempt} commits lost a race in a row`);
      const head = await this.head(day);
      if (head.sealed) return this.redirect(day, pending);
      const { links, head: next } = chainEntries(
        head,
        day,
        pending.map((w) => w.entry),
      );
      const headRow = {
        partitionKey: dayPartition(day),
        rowKey: HEAD_ROW,
        seq: next.seq,
        hash: next.hash,
        sealed: false,
      };
      const actions: TransactionAction[] = links.map((link) => ["create", chainRow(link)]);
      actions.push(head.etag ? ["update", headRow, "Replace", { etag: head.etag }] : ["create", headRow]);
      try {
        const response = await this.client.submitTransaction(actions);
        // The head is the last action (an update's answer names no row key, only its place).
        const etag = response.subResponses[links.length]?.etag;
        if (etag) this.remember(day, { ...next, sealed: false, etag });
        else this.heads.delete(day);
        pending.forEach((w) => w.resolve());
        return;
      } catch (error) {
        const status = statusOf(error);
        if (status !== 409 && status !== 412 && status !== 404) throw error;
        this.heads.delete(day);
        // 412/404: only the head moved (another instance, a seal, a purge). 409: an entry, or the head
        // another instance just created, exists: entries already stored are settled by content.
        if (status === 409) pending = await this.settleExisting(day, pending);
      }
    }
  }

  /** The same entry twice in one batch is written once; another entry under its id is refused. */
  private withoutTwins(batch: Waiter[]): Waiter[] {
    const first = new Map<string, Waiter>();
    const rest: Waiter[] = [];
    for (const w of batch) {
      const earlier = first.get(w.entry.id);
      if (!earlier) {
        first.set(w.entry.id, w);
        rest.push(w);
      } else if (sameEntry(earlier.entry, w.entry)) {
        const { resolve, reject } = earlier;
        earlier.resolve = () => (resolve(), w.resolve());
        earlier.reject = (e) => (reject(e), w.reject(e));
      } else w.reject(new AuditConflictError(w.entry.id));
    }
    return rest;
  }

  /** Entries already in the day are settled (same content: done; other content: refused); the rest returned. */
  private async settleExisting(day: AuditDay, waiters: Waiter[]): Promise<Waiter[]> {
    const rows = await Promise.all(
      waiters.map((w) =>
        tolerating([404], () =>
          this.client.getEntity<Record<string, unknown>>(dayPartition(day), entryRowKey(w.entry)),
        ),
      ),
    );
    return waiters.filter((w, i) => {
      const row = rows[i];
      if (!row) return true;
      if (sameEntry(readJsonColumns<AuditEntry>(row), w.entry)) w.resolve();
      else w.reject(new AuditConflictError(w.entry.id));
      return false;
    });
  }

  /** A closed day takes no more entries: those not in it already go to the next open day. */
  private async redirect(day: AuditDay, waiters: Waiter[]): Promise<void> {
    const rest = await this.settleExisting(day, waiters);
    const through = this.sealed?.through;
    const target = through !== undefined && through >= day ? nextDay(through) : nextDay(day);
    rest.forEach((w) => this.enqueue(target, w));
  }

  private async head(day: AuditDay): Promise<HeadState> {
    const cached = this.heads.get(day);
    if (cached) return cached;
    const [row, through] = await Promise.all([
      tolerating([404], () =>
        this.client.getEntity<{ seq: number; hash: string; sealed?: boolean }>(dayPartition(day), HEAD_ROW),
      ),
      this.sealedThrough(),
    ]);
    const closed = through !== undefined && day <= through;
    const state: HeadState = row
      ? { seq: row.seq, hash: row.hash, sealed: row.sealed === true || closed, etag: row.etag }
      : { seq: 0, hash: GENESIS, sealed: closed };
    // A new day is listed before its first entry is committed (a listed day without rows is harmless).
    if (!row && !closed) await this.client.upsertEntity({ partitionKey: DAYS, rowKey: day }, "Replace");
    this.remember(day, state);
    return state;
  }

  private remember(day: AuditDay, state: HeadState): void {
    this.heads.delete(day);
    this.heads.set(day, state);
    for (const old of this.heads.keys()) {
      if (this.heads.size <= REMEMBERED_HEADS) break;
      this.heads.delete(old);
    }
  }

  /** The newest anchored day (every day up to it is closed), read at most every 10 minutes. */
  private async sealedThrough(): Promise<AuditDay | undefined> {
    if (this.sealed && Date.now() - this.sealed.at < SEALED_MEMO_MS) return this.sealed.through;
    const row = await tolerating([404], () => this.client.getEntity<{ day: string }>(ANCHORS, LATEST_ANCHOR));
    this.sealed = { through: row?.day, at: Date.now() };
    return row?.day;
  }
}
