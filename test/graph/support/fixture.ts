import type { AccessToken, TokenCredential } from "@azure/identity";
import { createGraphClientWithCredential, type CredentialClientOptions } from "../../../src/adapters/graph/client";
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

/** Recorded waits and a sleep that returns at once: fast tests that still see every requested delay. */
export function instantSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

export interface GraphHarness {
  server: GraphTestServer;
  credential: StaticTokenCredential;
  transport(opts?: TransportOptions): GraphTransport;
  stop(): Promise<void>;
}

/** A loopback Graph server and a real SDK client pointed at it. */
export async function startGraph(serverOpts: GraphServerOptions = {}, clientOpts: CredentialClientOptions = {}): Promise<GraphHarness> {
  const server = new GraphTestServer(serverOpts);
  const baseUrl = await server.start();
  const credential = new StaticTokenCredential();
  const client = createGraphClientWithCredential(credential, { baseUrl, ...clientOpts });
  return {
    server,
    credential,
    transport: (opts = {}) => new GraphTransport(client, { ...opts, runtime: { random: () => 0.5, ...opts.runtime } }),
    stop: () => server.stop(),
  };
}
