/**
 * What the fault suite's tests share: one Azurite and one recording Bot Connector for the whole
 * run, Access Desk child processes started ahead of time (loading one takes seconds), and the
 * counting of what a run lost, doubled, left stuck or left unaudited against a run without faults.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { TableClient } from "@azure/data-tables";
import { createTableStores, type TableStores } from "../../../src/adapters/tables";
import { devConnectionString } from "../../../src/dev/azurite";
import { createLocalChannel, type LocalChannel } from "../../../src/local-channel";
import type { AuditEntry } from "../../../src/domain/model";
import { EFFECTS_GRACE_MINUTES } from "../../../src/app/shared/journal";
import { benchOrganization } from "../../../bench/fixtures";
import { startAzurite, type RunningAzurite } from "../../support/azurite";
import { startStorageFaultProxy, type StorageFaultProxy } from "../../support/storage-fault-proxy";
import { freshTablePrefix } from "../../support/stores";
import { type ActionOutcome, createDesk, type Desk } from "./desk";

export const MINUTE = 60_000;
const CHILD = path.join(__dirname, "desk-child.ts");

/** A message the bot posted (a new activity; card updates are not messages). */
export interface Sent {
  activityId: string;
  conversationId: string;
  summary: string;
}

export interface Fixture {
  azurite: RunningAzurite;
  connector: LocalChannel;
  sent: Sent[];
  /** The child's command line: the bundled child (loads in half the time), else through tsx. */
  childArgs: string[];
}

/**
 * The child bundled into one file by esbuild (the compiler tsx uses per file): loading botbuilder,
 * teams-ai and the app from one file costs about half the CPU of resolving and transforming
 * hundreds of files, and the suite starts dozens of children. Written next to `bench/` (one level
 * below the root, where bench/fixtures looks for the demo files), removed after the run.
 */
async function bundleChild(): Promise<string[]> {
  const root = path.resolve(__dirname, "../../..");
  const outfile = path.join(root, "test-artifacts", `fault-desk-child-${process.pid}.js`);
  try {
    // tsx's own compiler; not a dependency of ours, so without it the children run through tsx.
    const name = "esbuild";
    const esbuild = (await import(name)) as { build(options: Record<string, unknown>): Promise<unknown> };
    await esbuild.build({
      entryPoints: [CHILD],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      outfile,
      logLevel: "silent",
    });
    cleanups.push(async () => rmSync(outfile, { force: true }));
    return [outfile];
  } catch {
    return ["--require", "tsx/cjs", CHILD];
  }
}

let fixture: Promise<Fixture> | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

/** The suite's Azurite and recording connector, started on first use, stopped after the run. */
export function faultFixture(): Promise<Fixture> {
  fixture ??= (async () => {
    const [azurite, childArgs] = await Promise.all([startAzurite({ inMemory: true }), bundleChild()]);
    const connector = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages" });
    await connector.listen();
    connector.store.addTeam({
      id: "team-access-desk",
      name: "Contoso IT",
      channels: [{ id: "channel-access-requests", name: "Access requests" }],
    });
    const sent: Sent[] = [];
    connector.store.onEvent((event) => {
      if (event.type !== "activity" || event.kind !== "created") return;
      const recorded = connector.store.get(event.activityId);
      if (recorded?.from !== "bot") return;
      sent.push({
        activityId: recorded.id,
        conversationId: recorded.conversationId,
        summary: String(recorded.activity.summary ?? ""),
      });
    });
    cleanups.push(
      () => connector.close(),
      () => azurite.stop(),
    );
    return { azurite, connector, sent, childArgs };
  })();
  return fixture;
}

/** Stops what the suite started: children, proxies, the connector and Azurite. */
export async function stopFaultFixture(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  fixture = undefined;
}

after(stopFaultFixture);

/** One Access Desk child process (desk-child.ts), driven over stdin. */
export class DeskChild {
  readonly lines: string[] = [];
  readonly actions: ActionOutcome[] = [];
  readonly handled: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = "";
  private readonly waiters: { prefix: string; resolve: (line: string) => void }[] = [];

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      this.lines.push(line);
      if (line.startsWith("ACTION ")) this.actions.push(JSON.parse(line.slice(7)) as ActionOutcome);
      if (line.startsWith("HANDLED ")) this.handled.push(line.slice(8));
      if (process.env.FAULT_ECHO) console.log(`  [child ${child.pid}] ${line.slice(0, 400)}`);
      for (const w of [...this.waiters])
        if (line.startsWith(w.prefix)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(line);
        }
    });
    child.stderr!.on("data", (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  }

  static spawn(args: string[], env: Record<string, string>): DeskChild {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const desk = new DeskChild(child);
    cleanups.push(() => desk.kill());
    return desk;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The next line starting with `prefix` (or one already seen, with `seen`). */
  waitFor(prefix: string, timeoutMs = 30_000, seen = false): Promise<string> {
    const before = seen ? this.lines.find((l) => l.startsWith(prefix)) : undefined;
    if (before !== undefined) return Promise.resolve(before);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${prefix} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-2000)}`)),
        timeoutMs,
      );
      this.waiters.push({
        prefix,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`child exited (${code ?? signal}) before ${prefix}: ${this.stderr.slice(-2000)}`));
      });
    });
  }

  send(command: Record<string, unknown>): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  kill(): Promise<unknown> {
    if (this.alive) this.child.kill("SIGKILL");
    return this.exited;
  }
}

/** A child started ahead of time on its own tables, behind its own proxy. */
export interface WarmDesk {
  prefix: string;
  proxy: StorageFaultProxy;
  child: DeskChild;
}

export interface DeskEnv {
  employees: number;
  clockOffsetMs?: number;
  leaseName?: string;
  /** Pause between the child's sweeps. */
  sweepMs?: number;
  seed?: boolean;
}

/** Starts a child on `connectionString`; it prints READY once loaded (and seeded, if asked). */
export function spawnDesk(f: Fixture, connectionString: string, prefix: string, env: DeskEnv): DeskChild {
  return DeskChild.spawn(f.childArgs, {
    FAULT_CONN: connectionString,
    FAULT_PREFIX: prefix,
    FAULT_CONNECTOR: f.connector.serviceUrl,
    FAULT_EMPLOYEES: String(env.employees),
    FAULT_CLOCK_OFFSET_MS: String(env.clockOffsetMs ?? 0),
    FAULT_LEASE: env.leaseName ?? "",
    FAULT_SWEEP_MS: env.sweepMs === undefined ? "" : String(env.sweepMs),
    FAULT_SEED: env.seed === false ? "0" : "1",
  });
}

/** Keeps one seeded child (fresh tables, own proxy) loading while the current one works. */
export class WarmPool {
  private readonly ahead: Promise<WarmDesk>[] = [];

  constructor(
    private readonly f: Fixture,
    private readonly env: DeskEnv,
    /** Children kept loading ahead (one per test running at a time). */
    private readonly depth = 1,
    private readonly label = "fp",
  ) {}

  private start(): Promise<WarmDesk> {
    const prefix = freshTablePrefix(this.label);
    return startStorageFaultProxy(this.f.azurite.port).then(async (proxy) => {
      cleanups.push(() => proxy.close());
      const child = spawnDesk(this.f, devConnectionString(proxy.port), prefix, this.env);
      await child.waitFor("READY", 60_000, true);
      return { prefix, proxy, child };
    });
  }

  /** A ready child; another one starts loading at once. */
  async next(): Promise<WarmDesk> {
    while (this.ahead.length < this.depth + 1) {
      const started = this.start();
      started.catch(() => undefined);
      this.ahead.push(started);
    }
    return this.ahead.shift()!;
  }

  /** Stops the children loading ahead. */
  async close(): Promise<void> {
    const ahead = this.ahead.splice(0);
    await Promise.all(ahead.map((a) => a.then((w) => w.child.kill()).catch(() => undefined)));
  }
}

// ---------------------------------------------------------------------------------------------
// Counting

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

let baselineRun: Promise<Reference> | undefined;

/** Keeps a reference another test measured, for the tests after it. */
export function rememberReference(reference: Reference): void {
  baselineRun ??= Promise.resolve(reference);
}

/**
 * The reference for tests that have no run of their own without faults: one taken earlier in this
 * run, else one lifecycle run now in this process on fresh tables.
 */
export function baseline(f: Fixture): Promise<Reference> {
  baselineRun ??= (async () => {
    const prefix = freshTablePrefix("fb");
    const mark = f.sent.length;
    const desk = createDesk({
      connectionString: f.azurite.connectionString,
      prefix,
      connector: f.connector.serviceUrl,
      employees: 1,
      clockOffsetMs: 0,
    });
    await desk.seed();
    await finishInProcess(desk, { submit: [0], approve: [0] });
    return referenceOf(desk.stores, people(1), f.sent.slice(mark));
  })();
  return baselineRun;
}

/** The reference: one employee's messages and audit rows after a run without faults. */
export async function referenceOf(stores: TableStores, p: People, sent: Sent[]): Promise<Reference> {
  const messages = messagesByEmployee(p, sent).get(0) ?? new Map<string, number>();
  const state = await employeeState(stores, p.employees[0]!.id);
  return { messages, audit: state.audit };
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

// ---------------------------------------------------------------------------------------------
// Reporting

export interface Row {
  name: string;
  figures: Figures;
  note?: string;
}

/** A compact table of the figures, for the test output. */
export function table(title: string, rows: Row[]): string {
  const head = ["point", "lost", "doubled", "unlogged", "stuck", "due", "unaudited", "note"];
  const body = rows.map((r) => [
    r.name,
    String(r.figures.lost),
    String(r.figures.doubled),
    String(r.figures.window),
    String(r.figures.stuck),
    String(r.figures.due),
    String(r.figures.unaudited + (r.figures.auditExtra ? ` (+${r.figures.auditExtra})` : "")),
    r.note ?? "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ");
  return [`\n  ${title}`, `  ${line(head)}`, ...body.map((b) => `  ${line(b)}`)].join("\n");
}

/** Resolves once the proxy saw no write (but lease renewals) for `quietMs`. */
export async function quiet(proxy: StorageFaultProxy, quietMs = 300, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = proxy.seen.length;
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    const fresh = proxy.seen.slice(seen).filter((r) => r.method !== "GET" && !/Leases/.test(r.url));
    seen = proxy.seen.length;
    if (fresh.length > 0) since = Date.now();
    else if (Date.now() - since >= quietMs) return;
  }
}
