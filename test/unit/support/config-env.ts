/** The environment type, the `problemsOf` helpers and the production environment shared by the config tests. */
import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../../src/config";

export type Env = Record<string, string | undefined>;

/** The problems `loadConfig` reports for `env`, or [] when it accepts it. */
export function problemsOf(env: Env): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** One test per case: `loadConfig` names exactly these variables, in this order (each problem's first word). */
export function itNamesProblems(cases: [name: string, env: Env, named: string[]][]): void {
  for (const [name, env, named] of cases) {
    it(name, () => {
      const problems = problemsOf(env);
      assert.deepEqual(
        problems.map((p) => /^[A-Za-z_]+/.exec(p)![0]),
        named,
        problems.join("\n"),
      );
    });
  }
}

export const STORAGE_ACCOUNT =
  "DefaultEndpointsProtocol=https;AccountName=accessdeskprod;AccountKey=a2V5;EndpointSuffix=core.windows.net";

/** A production environment that passes: a SingleTenant bot, a real account, Graph with a secret. */
export const production: Env = {
  NODE_ENV: "production",
  MicrosoftAppId: "00000000-0000-0000-0000-00000000000a",
  MicrosoftAppPassword: "bot-secret",
  MicrosoftAppTenantId: "00000000-0000-0000-0000-00000000000t",
  STORAGE_CONNECTION_STRING: STORAGE_ACCOUNT,
  DIRECTORY: "graph",
  GRAPH_TENANT_ID: "tenant",
  GRAPH_CLIENT_ID: "graph-app",
  GRAPH_CLIENT_SECRET: "graph-secret",
};
