/**
 * Counting what a run lost, doubled, left stuck or left unaudited against a run without faults:
 * every employee's messages at the recording connector, their request's state and audit rows, and
 * the due work left over.
 */
import assert from "node:assert/strict";
import { TableClient } from "@azure/data-tables";
import { createTableStores, type TableStores } from "../../../src/adapters/tables";
import type { AuditEntry } from "../../../src/domain/model";
import { EFFECTS_GRACE_MINUTES } from "../../../src/app/shared/journal";
import { benchOrganization } from "../../../bench/fixtures";
import type { ActionOutcome, Desk } from "./desk";
import { type Fixture, MINUTE, type Sent } from "./fixture";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stores that talk to Azurite directly (the test's own view, never through a proxy). */
export function directStores(f: Fixture, prefix: string): TableStores {
  return createTableStores(f.azurite.connectionString, { tablePrefix: prefix });
}

const farFuture = () => new Date(Date.now() + 365 * 24 * 60 * MINUTE).toISOString();

/**
 * Work left undone: any journaled batch (it is removed once all its effects are done), and
 * retries due on `clockMs` (safety nets set by the last process lie minutes ahead of it).
 */
export async function unfinished(stores: TableStores, clockMs: number): Promise<string[]> {
  return (await stores.due.listDue(farFuture(), 1000))
    .filter(
      (item) =>
        item.value.kind === "effects" ||
        (["deliveryRetry", "scheduledStart", "removalRetry"].includes(item.value.kind) &&
          Date.parse(item.value.dueAt) <= clockMs),
    )
    .map(
      (item) =>
        `${item.value.kind} ${item.value.subjectId} ${item.value.discriminator} (due ${item.value.dueAt}${process.env.FAULT_DEBUG ? ` ${item.value.payload ?? ""}` : ""})`,
    );
}

/** Waits until nothing is left to do on `clockMs()` (or the time is up). */
export async function settle(stores: TableStores, clockMs: () => number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (await unfinished(stores, clockMs())).length > 0) await sleep(50);
}

/**
 * Waits until the sweeps took everything due on `clockMs()`: nothing is listed as due (an item a
 * failed run keeps claimed is not, until its claim expires).
 */
export async function swept(stores: TableStores, clockMs: () => number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (await stores.due.listDue(new Date(clockMs()).toISOString(), 1)).length > 0)
    await sleep(50);
}

/** Restarts Access Desk in this process with its clock moved on, finishes the work, settles, stops. */
export async function finishInProcess(
  desk: Desk,
  plan: { submit: number[]; approve: number[] },
): Promise<ActionOutcome[]> {
  desk.start();
  const outcomes = await desk.work(plan);
  await desk.bot.events.drain();
  // The process keeps running: a journal batch of a step that was never saved (a create that
  // found the entity already there) falls due after its grace and is dropped.
  desk.clock.advance(EFFECTS_GRACE_MINUTES * MINUTE + 30_000);
  await settle(desk.stores, () => desk.clock.now().getTime());
  await desk.stop();
  return outcomes;
}

/** Which employee a message is about, and the message with that employee written as <E>. */
export interface People {
  employees: { id: string; displayName: string; managerId?: string }[];
}

export function people(count: number): People {
  return { employees: benchOrganization(count).employees };
}

const PERSONAL = "a:personal-";

function recipientOf(s: Sent): string {
  if (s.conversationId.startsWith(PERSONAL)) return s.conversationId.slice(PERSONAL.length);
  return s.conversationId.split(";messageid=")[0]!;
}

/** The employee (index) a message belongs to, and its key with the employee and manager normalised. */
export function messageKey(p: People, s: Sent): { employee: number; key: string } | undefined {
  const to = recipientOf(s);
  for (const [i, e] of p.employees.entries()) {
    const named = new RegExp(`\\b${e.displayName}\\b(?!\\d)`).test(s.summary);
    if (to !== e.id && !named) continue;
    if (to === e.id) return { employee: i, key: `<employee> | ${s.summary}` };
    if (!s.conversationId.startsWith(PERSONAL))
      return { employee: i, key: `${to} | ${s.summary.replace(e.displayName, "<E>")}` };
    // An approver's card: its summary shows the request's state when it was drawn (a card sent
    // again after a crash shows the state by then), so it counts as the approver's card whatever it says.
    return { employee: i, key: `${to === e.managerId ? "<manager>" : to} | approval card` };
  }
  return undefined;
}

export type Multiset = Map<string, number>;

const add = (m: Multiset, key: string, n = 1) => m.set(key, (m.get(key) ?? 0) + n);

/** Messages per employee, as multisets of normalised keys. */
export function messagesByEmployee(p: People, sent: Sent[]): Map<number, Multiset> {
  const out = new Map<number, Multiset>();
  for (const s of sent) {
    const k = messageKey(p, s);
    if (!k) continue;
    const m = out.get(k.employee) ?? new Map<string, number>();
    add(m, k.key);
    out.set(k.employee, m);
  }
  return out;
}

/** The lifecycle's audit actions, and a card refused for good (other side rows are not compared). */
const LIFECYCLE = new Set<AuditEntry["action"]>([
  "request.submitted",
  "stage.started",
  "stage.approved",
  "request.approved",
  "assignment.granted",
  "resource.granted",
  "notification.undeliverable",
]);

export interface EmployeeState {
  delivered: boolean;
  requests: number;
  /** Audit actions of the employee's request and assignment, counted. */
  audit: Multiset;
  /** Assignment ids with their `assignment.granted` rows counted. */
  granted: Map<string, number>;
}

export async function employeeState(stores: TableStores, userId: string): Promise<EmployeeState> {
  const requests = await stores.requests.listForUser(userId);
  const request = requests[0];
  const audit: Multiset = new Map();
  const granted = new Map<string, number>();
  if (request) {
    const subjects = [`request:${request.id}`];
    if (request.assignmentId) subjects.push(`assignment:${request.assignmentId}`);
    for (const subject of subjects) {
      for (const row of await stores.audit.query({ subject, limit: 1000 })) {
        if (LIFECYCLE.has(row.action)) add(audit, row.action);
        if (row.action === "assignment.granted") granted.set(subject, (granted.get(subject) ?? 0) + 1);
      }
    }
  }
  return {
    delivered: requests.length === 1 && request?.state === "delivered",
    requests: requests.length,
    audit,
    granted,
  };
}

/** What a run should look like for one employee: taken from a run without faults. */
export interface Reference {
  messages: Multiset;
  audit: Multiset;
}

export interface Figures {
  lost: number;
  doubled: number;
  /**
   * Messages that were out while their delivery-log row was not (see `window`): the rerun had to
   * find them in the chat instead of posting them again. Shown, not allowed to double.
   */
  window: number;
  stuck: number;
  due: number;
  unaudited: number;
  /** Audit rows more than the reference has. */
  auditExtra: number;
  details: string[];
}

export const zero = (): Figures => ({
  lost: 0,
  doubled: 0,
  window: 0,
  stuck: 0,
  due: 0,
  unaudited: 0,
  auditExtra: 0,
  details: [],
});

/**
 * Compares the employees' messages (`sent`, this run's) and stored state with the reference.
 * `window` lists messages a killed process posted whose delivery-log row never reached storage:
 * the rerun looks for them in the chat before posting (docs/decisions.md, "Look before posting
 * again"), so they count here as found, and a double of one is a double like any other.
 */
export async function count(
  stores: TableStores,
  p: People,
  employees: number[],
  sent: Sent[],
  reference: Reference,
  clockMs: number,
  window: Sent[] = [],
): Promise<Figures> {
  const figures = zero();
  const got = messagesByEmployee(p, sent);
  const allowed = messagesByEmployee(p, window);
  for (const i of employees) {
    const mine = got.get(i) ?? new Map<string, number>();
    const may = allowed.get(i) ?? new Map<string, number>();
    for (const key of new Set([...reference.messages.keys(), ...mine.keys()])) {
      const want = reference.messages.get(key) ?? 0;
      const have = mine.get(key) ?? 0;
      if (have < want) figures.details.push(`e${i} lost ${key} (${have}/${want})`);
      if (have > want) figures.details.push(`e${i} doubled ${key} (${have}/${want})`);
      figures.lost += Math.max(0, want - have);
      const extra = Math.max(0, have - want);
      figures.doubled += extra;
      figures.window += Math.min(have, may.get(key) ?? 0);
    }
    const state = await employeeState(stores, p.employees[i]!.id);
    if (!state.delivered) {
      figures.stuck += 1;
      figures.details.push(`e${i} not delivered (${state.requests} requests)`);
    }
    for (const key of new Set([...reference.audit.keys(), ...state.audit.keys()])) {
      const want = reference.audit.get(key) ?? 0;
      const have = state.audit.get(key) ?? 0;
      if (have !== want) figures.details.push(`e${i} audit ${key} ${have}/${want}`);
      figures.unaudited += Math.max(0, want - have);
      figures.auditExtra += Math.max(0, have - want);
    }
  }
  const left = await unfinished(stores, clockMs);
  figures.due = left.length;
  if (left.length > 0) figures.details.push(`still due: ${left.join(", ")}`);
  return figures;
}

/** Messages `posted` whose delivery-log row is not in storage (the process died in between). */
export async function unrecorded(f: Fixture, prefix: string, posted: Sent[]): Promise<Sent[]> {
  const client = TableClient.fromConnectionString(f.azurite.connectionString, `${prefix}Deliveries`, {
    allowInsecureConnection: true,
  });
  const ids = new Set<string>();
  let channelRows = 0;
  for await (const row of client.listEntities<Record<string, unknown>>()) {
    if (typeof row.activityId === "string") ids.add(row.activityId);
    else if (String(row.rowKey).includes("channel")) channelRows += 1;
  }
  const channelPosts = posted.filter((s) => !s.conversationId.startsWith(PERSONAL));
  return [
    ...posted.filter((s) => s.conversationId.startsWith(PERSONAL) && !ids.has(s.activityId)),
    ...channelPosts.slice(channelRows),
  ];
}

/** The suites' verdict: nothing lost, doubled, stuck, left due, unaudited or audited twice. */
export function assertNothingLost(figures: Figures): void {
  const { lost, doubled, stuck, due, unaudited, auditExtra } = figures;
  assert.deepEqual(
    { lost, doubled, stuck, due, unaudited, auditExtra },
    { lost: 0, doubled: 0, stuck: 0, due: 0, unaudited: 0, auditExtra: 0 },
    figures.details.join("; "),
  );
}
