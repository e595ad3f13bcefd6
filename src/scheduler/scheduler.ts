import type { AppDeps } from "../app/deps";
import { purgeAudit } from "../app/audit/close-days";
import type { AuditChainStore } from "../ports/audit-chain";
import type { ScopedLogger } from "../ports/logger";
import type { DueItem, LeaseStore } from "../ports/stores";
import type { Versioned } from "../ports/versioned";
import type { DueHandlers } from "./handlers";
import { resolveSchedulerSettings, type SchedulerSettings } from "./settings";

export interface SchedulerOptions extends Partial<SchedulerSettings> {
  deps: AppDeps;
  leases: LeaseStore;
  handlers: DueHandlers;
  /** Unique per process: owner of the lease and of claims. */
  instanceId: string;
  /** Each job logs through a child with its kind and subject, made current for the job. */
  logger?: ScopedLogger;
  /** Source of jitter; tests pass a fixed one. */
  random?: () => number;
  /**
   * The audit days: closed days anchored and days past the retention purged, by the lease holder at
   * most once per `everyMs` (default an hour) per process.
   */
  auditDays?: { chain: AuditChainStore; retentionDays: number; everyMs?: number };
}

export interface SweepResult {
  /** Items this sweep claimed (lost races are not counted). */
  claimed: number;
  done: number;
  failed: number;
}

export interface Scheduler {
  readonly settings: SchedulerSettings;
  /** Sweeps now, then every interval plus jitter, until stopped. */
  start(): void;
  /** Stops the loop, waits for a running sweep and gives up the lease. */
  stop(): Promise<void>;
  /** One sweep: take the lease, claim what is due, run it. Safe to call while the loop runs. */
  sweepOnce(): Promise<SweepResult>;
}

const itemKey = (item: DueItem): string =>
  `${item.dueAt}|${item.kind}|${item.subjectId}|${item.discriminator}`;

/**
 * The sweeper. One lease row lets one instance sweep at a time; each item is also claimed with
 * compare-and-swap, so even overlapping sweepers run it once. A failed item keeps its claim and is
 * tried again once the claim expires; work of a crashed sweeper comes back the same way.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { deps, leases, handlers, instanceId } = options;
  const settings = resolveSchedulerSettings(options);
  const logger = (options.logger ?? deps.logger).child({ component: "scheduler", instanceId });
  const within = <T>(log: typeof logger, work: () => T): T =>
    options.logger ? options.logger.within(log, work) : work();
  const random = options.random ?? Math.random;
  // Failures per item, for the attempt cap. Per process: a cap, not an exact count.
  const attempts = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<SweepResult> | undefined;
  let auditDaysAt = -Infinity;

  const nowMs = () => deps.clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();

  async function runItem(claimed: Versioned<DueItem>, result: SweepResult): Promise<void> {
    const item = claimed.value;
    const key = itemKey(item);
    const log = logger.child({ kind: item.kind, subjectId: item.subjectId, dueAt: item.dueAt });
    try {
      const handler = handlers[item.kind];
      if (!handler) throw new Error(`No handler for due work of kind "${item.kind}"`);
      await within(log, () => handler(deps, item));
      await deps.due.complete(claimed);
      attempts.delete(key);
      result.done += 1;
    } catch (error) {
      result.failed += 1;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const stack = error instanceof Error ? error.stack : String(error);
      if (attempt >= settings.maxAttempts) {
        log.error({ err: stack, attempt }, "due work failed too often; dropped");
        attempts.delete(key);
        await deps.due.complete(claimed).catch(() => undefined);
      } else {
        log.warn(
          { err: stack, attempt, maxAttempts: settings.maxAttempts },
          "due work failed; retried after the claim expires",
        );
      }
    }
  }

  async function sweep(): Promise<SweepResult> {
    const result: SweepResult = { claimed: 0, done: 0, failed: 0 };
    let renewedAt = nowMs();
    if (!(await leases.acquire(settings.leaseName, instanceId, iso(renewedAt), settings.leaseMs)))
      return result;
    const due = await deps.due.listDue(iso(renewedAt), settings.batchSize);
    for (const item of due) {
      if (nowMs() - renewedAt > settings.leaseMs / 3) {
        renewedAt = nowMs();
        // Lost the lease (this process stalled): leave the rest to the new holder.
        if (!(await leases.acquire(settings.leaseName, instanceId, iso(renewedAt), settings.leaseMs))) break;
      }
      const claimed = await deps.due.claim(item, instanceId, iso(nowMs() + settings.claimMs));
      if (!claimed) continue;
      result.claimed += 1;
      await runItem(claimed, result);
    }
    if (result.claimed > 0) logger.info({ ...result }, "swept due work");
    await sweepAuditDays();
    return result;
  }

  /** Anchors closed audit days and purges expired ones; a failure is logged and tried next hour. */
  async function sweepAuditDays(): Promise<void> {
    const audit = options.auditDays;
    if (!audit || nowMs() - auditDaysAt < (audit.everyMs ?? 3_600_000)) return;
    auditDaysAt = nowMs();
    try {
      const purged = await purgeAudit(audit.chain, deps.clock.now(), audit.retentionDays);
      if (purged.days.length > 0) logger.info({ ...purged }, "purged audit days past the retention");
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.stack : String(error) }, "audit day sweep failed");
    }
  }

  function sweepOnce(): Promise<SweepResult> {
    // One sweep at a time per instance: a manual sweep joins the loop's running one.
    inFlight ??= sweep().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  function scheduleNext(delayMs: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      sweepOnce()
        .catch((error: unknown) =>
          logger.error({ err: error instanceof Error ? error.stack : String(error) }, "sweep failed"),
        )
        .finally(() => scheduleNext(settings.intervalMs + random() * settings.jitterMs));
    }, delayMs);
  }

  return {
    settings,
    start() {
      if (running) return;
      running = true;
      scheduleNext(random() * settings.jitterMs);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight?.catch(() => undefined);
      await leases.release(settings.leaseName, instanceId).catch(() => undefined);
    },
    sweepOnce,
  };
}
