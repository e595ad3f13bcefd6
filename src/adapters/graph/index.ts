export { createCredential, createGraphClient, createGraphClientWithCredential, GRAPH_SCOPE } from "./client";
export type { CredentialClientOptions, GraphAuth, GraphClientOptions } from "./client";
export { GraphTransport, GraphCallError } from "./transport";
export type { GraphAnswer, GraphCall, TransportOptions, TransportStats } from "./transport";
export { DEFAULT_RETRY_OPTIONS } from "./retry-policy";
export type { RetryOptions, RetryRuntime } from "./retry-policy";
export { GraphDirectory } from "./graph-directory";
export type { GraphDirectoryOptions } from "./graph-directory";
export { GraphProvisioner } from "./graph-provisioner";
