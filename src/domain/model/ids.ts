/** Microsoft Entra object id of a user (the `aadObjectId` of a Teams activity). */
export type UserId = string;
/** Microsoft Entra object id of a group. */
export type GroupId = string;
/** An ISO-8601 UTC instant, e.g. "2026-11-23T10:00:00.000Z". Domain code never reads the clock. */
export type Instant = string;
