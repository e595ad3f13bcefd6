/** The SDK's RestError carries `statusCode` (and `details.errorCode`), not `code`. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** Runs a write whose "already done" answers (given statuses) are success. */
export async function tolerating<T>(statuses: number[], op: () => Promise<T>): Promise<T | undefined> {
  try {
    return await op();
  } catch (error) {
    if (statuses.includes(statusOf(error) ?? -1)) return undefined;
    throw error;
  }
}
