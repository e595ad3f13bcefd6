import type { Instant, UserId } from "../model/ids";

/** Where in the access lifecycle a custom extension is called (Entra's custom extension stages). */
export type ExtensionStage =
  | "requestCreated"
  | "stageApproved"
  | "stageDenied"
  | "granted"
  /** N days (`removalScheduledDaysBefore`) before an assignment ends. */
  | "removalScheduled"
  | "removed";

export const EXTENSION_STAGES: readonly ExtensionStage[] = [
  "requestCreated",
  "stageApproved",
  "stageDenied",
  "granted",
  "removalScheduled",
  "removed",
];

/**
 * An outbound webhook a catalog declares. The secret is never in the files: `secretName` names the
 * environment variable `EXTENSION_SECRET_<secretName>` (set directly or as a Key Vault reference).
 */
export interface CustomExtension {
  /** Unique across catalogs: an approval extension decides as `extension:<id>`. */
  id: string;
  name?: string;
  url: string;
  secretName: string;
  stages: ExtensionStage[];
  removalScheduledDaysBefore: number;
  timeoutSeconds: number;
  /** Called for every policy of the catalog's packages; when false only for policies that list it. */
  everyPolicy: boolean;
}

export const EXTENSION_DEFAULTS = {
  removalScheduledDaysBefore: 7,
  timeoutSeconds: 10,
} as const;

/** The event types of a webhook payload: the stages, and the call of an approval extension. */
export type ExtensionEventType = ExtensionStage | "approvalRequested";

const ACTOR_PREFIX = "extension:";

/** The approver id an approval extension holds in a stage and decides as. */
export const extensionActor = (extensionId: string): UserId => `${ACTOR_PREFIX}${extensionId}`;

export const isExtensionActor = (id: string): boolean => id.startsWith(ACTOR_PREFIX);

export const extensionIdOfActor = (id: string): string | undefined =>
  isExtensionActor(id) ? id.slice(ACTOR_PREFIX.length) : undefined;

/** What a single-use approval callback URL stands for; signed by Access Desk, checked on the way in. */
export interface CallbackClaims {
  requestId: string;
  /** 1-based stage number. */
  stage: number;
  /** When this stage began: a callback of an earlier run of the same stage number is not this one. */
  startedAt: Instant;
  extensionId: string;
  /** The end of the stage's decision window. */
  expiresAt: Instant;
}
