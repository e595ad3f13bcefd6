/** The bench bot's processes: started under tsx or compiled ahead, their answers and memory read from outside. */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { ANSWERED_LINE } from "./answer-times";
import { percentile } from "./measure";
import { productionNodeFlags } from "./node-flags";

const ROOT = path.resolve(__dirname, "..");

/**
 * Starts a bench bot in its own Node process; resolves with its URL. Under tsx's loader (compiling
 * each file as it loads, no wrapper process), or from `bundle`: the same code compiled ahead into
 * one JavaScript file, run by plain node as a built bot runs.
 */
export type SpawnedBot = Awaited<ReturnType<typeof spawnBot>>;

export async function spawnBot(
  env: Record<string, string>,
  bundle?: string,
): Promise<{ child: ChildProcess; url: string; answers: number[] }> {
  // Both run with production's heap settings (package.json's start:prod).
  const flags = productionNodeFlags(ROOT);
  const args = bundle
    ? [...flags, bundle]
    : [...flags, "--require", "tsx/cjs", path.join(ROOT, "bench/bot-process.ts")];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  // When the bot started writing each answer, on this process's performance.now() clock.
  const answers: number[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the bot process ended (${code}) before it listened`)));
    lines.on("line", (line) => {
      const parsed = /^\{"url":"([^"]+)"\}$/.exec(line.trim());
      if (parsed) resolve(parsed[1]!);
      const answered = ANSWERED_LINE.exec(line.trim());
      if (answered) answers.push(Number(answered[1]) - performance.timeOrigin);
    });
  });
  return { child, url, answers };
}

/** Bench bots started side by side (each compiles as it loads); if one fails, the others are stopped. */
export async function spawnBots<const E extends readonly Record<string, string>[]>(
  envs: E,
): Promise<{ [K in keyof E]: SpawnedBot }> {
  const starting = envs.map((env) => spawnBot(env));
  return (Promise.all(starting) as Promise<{ [K in keyof E]: SpawnedBot }>).catch((error: unknown) => {
    for (const s of starting)
      void s.then(
        (b) => b.child.kill(),
        () => undefined,
      );
    throw error;
  });
}

/**
 * bench/bot-process.ts compiled ahead of time into one file by esbuild (tsx's own compiler), written
 * one level below the root (bench/fixtures finds the demo files from there); undefined without esbuild.
 */
export async function compiledBot(): Promise<string | undefined> {
  const outfile = path.join(ROOT, "test-artifacts", `bench-bot-${process.pid}.js`);
  try {
    const name = "esbuild";
    const esbuild = (await import(name)) as { build(options: Record<string, unknown>): Promise<unknown> };
    await esbuild.build({
      entryPoints: [path.join(ROOT, "bench/bot-process.ts")],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      outfile,
      // Our code compiled into the file; packages load from node_modules, as `node dist/main.js` does.
      packages: "external",
      logLevel: "silent",
    });
    return outfile;
  } catch (error) {
    console.error(`compiling the bot ahead failed: ${String(error).slice(0, 300)}`);
    return undefined;
  }
}

/** VmRSS and VmHWM (peak) of a process, in MB, read from outside it. */
export function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
}

export function sampleRss(pid: number) {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(rssOf(pid).rss), 200);
  return {
    stop() {
      clearInterval(timer);
      // A load shorter than one sampling interval (--quick) is read once, now.
      if (samples.length === 0) samples.push(rssOf(pid).rss);
      const late = samples.slice(Math.floor(samples.length / 2)).sort((a, b) => a - b);
      return { steady: percentile(late, 50), peak: rssOf(pid).peak };
    },
  };
}

/** When the bot started writing the answer after `seen` earlier ones (its line may trail the answer a little). */
export async function botAnswered(answers: number[], seen: number): Promise<number> {
  for (let i = 0; answers.length <= seen; i++) {
    if (i > 500) throw new Error("the bot printed no answer time");
    await new Promise((r) => setTimeout(r, 2));
  }
  return answers[seen]!;
}

/** CPU time (user + system, in clock ticks) a process has used so far, read from outside it. */
export function cpuTicksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The fields after the command name (which may hold spaces, in parentheses): utime is the 12th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Resolves once the process has used at most one clock tick (10 ms) of CPU in the last `quietMs`:
 * a bot that reaches storage directly (no counting proxy to watch) has then finished what a step
 * started; one waiting that long on storage alone would pass for idle, which a light load does not do.
 */
export async function cpuQuiet(pid: number, quietMs = 300, timeoutMs = 60_000): Promise<void> {
  const every = 25;
  const seen: number[] = [];
  for (let waited = 0; waited < timeoutMs; waited += every) {
    seen.push(cpuTicksOf(pid));
    const back = seen.length - 1 - Math.ceil(quietMs / every);
    if (back >= 0 && seen.at(-1)! - seen[back]! <= 1) return;
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`process ${pid} was still busy after ${timeoutMs} ms`);
}
