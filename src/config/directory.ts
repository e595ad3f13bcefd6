import type { EnvReader } from "./env-reader";
import type { Config, GraphSettings, Mode } from "./settings";

/**
 * Where people and groups come from: the demo organisation file (local) or Microsoft Graph. The demo
 * directory in production needs an explicit ALLOW_LOCAL_DIRECTORY, so a forgotten DIRECTORY=graph
 * never runs a tenant's governance against made-up people.
 */
export function readDirectory(reader: EnvReader, mode: Mode): Config["directory"] {
  const { read, bool, problems } = reader;
  const directoryKind = read("DIRECTORY") ?? "local";
  let directory: Config["directory"] = {
    kind: "local",
    organizationFile: read("DEMO_ORGANIZATION_FILE") ?? "demo/organization.yaml",
  };
  if (directoryKind === "graph") {
    directory = { kind: "graph", graph: readGraph(reader) };
  } else if (directoryKind !== "local") {
    problems.push(`DIRECTORY="${directoryKind}" is not valid: use local (the demo organisation) or graph`);
  }
  if (mode === "production" && directory.kind === "local" && !bool("ALLOW_LOCAL_DIRECTORY", false)) {
    problems.push(
      "DIRECTORY is local in production mode: set DIRECTORY=graph (or ALLOW_LOCAL_DIRECTORY=true for a demo)",
    );
  }
  return directory;
}

function readGraph({ read, problems }: EnvReader): GraphSettings {
  const need = (name: string, what: string): string => {
    const value = read(name);
    if (!value) problems.push(`${name} is not set: DIRECTORY=graph needs ${what}`);
    return value ?? "";
  };
  const tenantId = need("GRAPH_TENANT_ID", "the Entra tenant id");
  const authKind = read("GRAPH_AUTH") ?? "secret";
  let auth: GraphSettings["auth"];
  if (authKind === "secret") {
    auth = {
      kind: "secret",
      clientSecret: need("GRAPH_CLIENT_SECRET", "the app registration's client secret"),
    };
  } else if (authKind === "certificate") {
    auth = {
      kind: "certificate",
      certificatePath: need("GRAPH_CERTIFICATE_PATH", "a PEM certificate with its private key"),
    };
  } else if (authKind === "managedIdentity") {
    auth = { kind: "managedIdentity", clientId: read("GRAPH_MANAGED_IDENTITY_CLIENT_ID") };
  } else {
    problems.push(`GRAPH_AUTH="${authKind}" is not valid: use secret, certificate or managedIdentity`);
    auth = { kind: "managedIdentity" };
  }
  const clientId =
    authKind === "managedIdentity"
      ? (read("GRAPH_CLIENT_ID") ?? "")
      : need("GRAPH_CLIENT_ID", "the app registration's client id");
  const baseUrl = read("GRAPH_BASE_URL") ?? "https://graph.microsoft.com";
  const signInRaw = (read("GRAPH_SIGN_IN_ACTIVITY") ?? "off").toLowerCase();
  if (!["on", "off"].includes(signInRaw))
    problems.push(
      `GRAPH_SIGN_IN_ACTIVITY="${signInRaw}" is not valid: use on (needs AuditLog.Read.All and Entra ID P1) or off`,
    );
  const teamsAppCatalogId = read("TEAMS_APP_CATALOG_ID");
  if (teamsAppCatalogId !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(teamsAppCatalogId))
    problems.push(
      `TEAMS_APP_CATALOG_ID="${teamsAppCatalogId}" is not valid: use the app's id in the Teams app catalog`,
    );
  return {
    tenantId,
    clientId,
    auth,
    baseUrl,
    signInActivity: signInRaw === "on",
    ...(teamsAppCatalogId ? { teamsAppCatalogId } : {}),
  };
}
