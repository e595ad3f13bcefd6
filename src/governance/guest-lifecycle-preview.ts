import type { GuestStep } from "../domain/external/guest-lifecycle";

/** `governance plan`: the guests the lifecycle would block or delete now under the files. */
export function formatGuestLifecyclePreview(steps: readonly GuestStep[]): string {
  const lines = steps.map((s) => `  ${s.action === "block" ? "block sign-in" : "delete"}: ${s.reason}`);
  return [`Guest lifecycle (what the next run would do now):`, ...lines].join("\n");
}
