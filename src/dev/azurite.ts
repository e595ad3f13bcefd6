import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";

/** The well-known development account Azurite accepts (public, not a secret). */
export const DEV_ACCOUNT_NAME = "devstoreaccount1";
export const DEV_ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
export const DEFAULT_TABLE_PORT = 10002;

export type AzuriteOptions = { inMemory: true; port?: number } | { location: string; port?: number };

export interface RunningAzurite {
  connectionString: string;
  port: number;
  /** Its process (benchmarks read its CPU time from /proc). */
  pid: number;
  stop(): Promise<void>;
}

/** A connection string for the development account's table endpoint on a loopback port. */
export function devConnectionString(port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};` +
    `TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT_NAME};`
  );
}

function azuriteTableScript(): string {
  return path.join(path.dirname(require.resolve("azurite/package.json")), "dist/src/table/main.js");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something answering HTTP like a table endpoint listens on the loopback port. */
export async function isTableEndpointUp(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: "127.0.0.1", port, path: `/${DEV_ACCOUNT_NAME}/Tables`, timeout: timeoutMs },
      (res) => {
        res.resume();
        // Azurite answers an unsigned request with 403; any HTTP answer means it is up.
        resolve(res.statusCode !== undefined);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

async function waitUntilUp(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Azurite exited with code ${child.exitCode} before answering:\n${output()}`);
    }
    if (await isTableEndpointUp(port, 500)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`Azurite did not answer on 127.0.0.1:${port} within 20 s:\n${output()}`);
}

/**
 * Starts Azurite's table service on loopback, in memory (tests) or persisting under `location`
 * (local runs). Resolves once the port answers.
 */
export async function startAzurite(opts: AzuriteOptions): Promise<RunningAzurite> {
  const port = opts.port ?? (await freePort());
  const args = [
    azuriteTableScript(),
    "--tableHost",
    "127.0.0.1",
    "--tablePort",
    String(port),
    "--disableTelemetry",
    "--skipApiVersionCheck",
    // No access log: a line per request on a pipe nobody reads costs Azurite's CPU and ours.
    "--silent",
  ];
  if ("location" in opts) {
    mkdirSync(opts.location, { recursive: true });
    args.push("--location", opts.location);
  } else {
    args.push("--inMemoryPersistence");
  }
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitUntilUp(child, port, () => output);
  return {
    connectionString: devConnectionString(port),
    port,
    pid: child.pid!,
    async stop() {
      // SIGINT: Azurite saves its database on SIGINT only; SIGTERM would lose the last seconds of writes.
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}
