import type { AccessToken, TokenCredential } from "@azure/identity";
import {
  createGraphClientWithCredential,
  type CredentialClientOptions,
} from "../../../src/adapters/graph/client";
import { GraphTransport, type TransportOptions } from "../../../src/adapters/graph/transport";
import { GraphTestServer, type GraphServerOptions } from "./graph-server";

/** A credential that never leaves the process: a fixed token, and a count of how often it was asked. */
export class StaticTokenCredential implements TokenCredential {
  calls = 0;
  scopes: string[] = [];
  constructor(readonly token = "test-token") {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.calls++;
    this.scopes = ([] as string[]).concat(scopes);
    return { token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

/**
 * A sleep that returns at once and moves a virtual clock (which only sleeping moves), recording
 * every wait: fast, deterministic tests that still see each requested delay and time budget.
 */
export function instantSleep(): {
  runtime: { sleep: (ms: number) => Promise<void>; now: () => number };
  waits: number[];
} {
  const waits: number[] = [];
  let slept = 0;
  const sleep = async (ms: number) => {
    waits.push(ms);
    slept += ms;
  };
  return { waits, runtime: { sleep, now: () => slept } };
}

export interface GraphHarness {
  server: GraphTestServer;
  credential: StaticTokenCredential;
  transport(opts?: TransportOptions): GraphTransport;
  stop(): Promise<void>;
}

/** A loopback Graph server and a real SDK client pointed at it. */
export async function startGraph(
  serverOpts: GraphServerOptions = {},
  clientOpts: CredentialClientOptions = {},
): Promise<GraphHarness> {
  const server = new GraphTestServer(serverOpts);
  const baseUrl = await server.start();
  const credential = new StaticTokenCredential();
  const client = createGraphClientWithCredential(credential, { baseUrl, ...clientOpts });
  return {
    server,
    credential,
    transport: (opts = {}) =>
      new GraphTransport(client, { ...opts, runtime: { random: () => 0.5, ...opts.runtime } }),
    stop: () => server.stop(),
  };
}
