import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  TelemetryHandler,
  type ClientOptions,
  type FetchOptions,
} from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from "@azure/identity";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
export const GRAPH_VERSION = "v1.0";

export type GraphAuth =
  | { kind: "secret"; clientSecret: string }
  | { kind: "certificate"; certificatePath: string }
  | { kind: "managedIdentity"; clientId?: string };

export interface GraphClientOptions {
  tenantId: string;
  clientId: string;
  auth: GraphAuth;
  /** Defaults to https://graph.microsoft.com; tests point it at a loopback server. */
  baseUrl?: string;
}

export interface CredentialClientOptions {
  baseUrl?: string;
  /**
   * Extra https hosts that receive the bearer token. The SDK attaches a token only to https Graph
   * hosts (and these): a plain-http base URL never gets one, which keeps local mode token-free.
   */
  customHosts?: string[];
  /** Passed to every fetch (e.g. a dispatcher that trusts a test certificate). */
  fetchOptions?: FetchOptions;
}

export function createCredential(opts: GraphClientOptions): TokenCredential {
  const { tenantId, clientId, auth } = opts;
  switch (auth.kind) {
    case "secret":
      return new ClientSecretCredential(tenantId, clientId, auth.clientSecret);
    case "certificate":
      return new ClientCertificateCredential(tenantId, clientId, auth.certificatePath);
    case "managedIdentity":
      // A user-assigned identity needs its client id; the system-assigned one needs nothing.
      return auth.clientId
        ? new ManagedIdentityCredential({ clientId: auth.clientId })
        : new ManagedIdentityCredential();
  }
}

/** A Graph client for the app's own identity (application permissions). */
export function createGraphClient(opts: GraphClientOptions): Client {
  return createGraphClientWithCredential(createCredential(opts), { baseUrl: opts.baseUrl });
}

/**
 * A Graph client over any TokenCredential. The middleware chain is the SDK default minus its
 * RetryHandler: our retry policy owns every retry (whole requests and `$batch` items alike), so
 * attempts stay inside one budget and are not multiplied by a second hidden layer.
 */
export function createGraphClientWithCredential(
  credential: TokenCredential,
  opts: CredentialClientOptions = {},
): Client {
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] });
  // The SDK copies every own key, undefined included, over its defaults: set only what is given.
  const options: ClientOptions = {
    middleware: [
      new AuthenticationHandler(authProvider),
      new RedirectHandler(),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
    defaultVersion: GRAPH_VERSION,
  };
  if (opts.baseUrl) options.baseUrl = withTrailingSlash(opts.baseUrl);
  if (opts.customHosts) options.customHosts = new Set(opts.customHosts);
  if (opts.fetchOptions) options.fetchOptions = opts.fetchOptions;
  return Client.initWithMiddleware(options);
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
