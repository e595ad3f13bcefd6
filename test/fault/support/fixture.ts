/**
 * The fault suites' world: one Azurite and one recording Bot Connector for the whole run, and
 * Access Desk child processes started ahead of time (loading one takes seconds).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { devConnectionString } from "../../../src/dev/azurite";
import { createLocalChannel, type LocalChannel } from "../../../src/local-channel";
import { startAzurite, type RunningAzurite } from "../../support/azurite";
import { startStorageFaultProxy, type StorageFaultProxy } from "../../support/storage-fault-proxy";
import { freshTablePrefix } from "../../support/stores";
import type { ActionOutcome } from "./desk";

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
