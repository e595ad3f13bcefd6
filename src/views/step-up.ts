import type { CardMessage } from "../ports/notifier";
import { safeText } from "./text";

export interface StepUpViewInput {
  requestId: string;
  /** Why the click did not count (from the step-up gate). */
  message: string;
  freshnessMinutes: number;
  /** False when sign-in is not set up: the card then only explains. */
  canSignIn: boolean;
  /** The approver's last accepted sign-in, if it was too old. */
  lastSignInAt?: string;
}

/** "Sign in to approve": the click recorded nothing; sign in with MFA, then decide again. */
export function stepUpView(input: StepUpViewInput): CardMessage {
  // A refused sign-in does not know the stage's window (0): say "again" without a number.
  const within = input.freshnessMinutes > 0 ? ` within ${input.freshnessMinutes} minutes` : "";
  const how = input.canSignIn
    ? `Sign in with multi-factor authentication, then choose Approve or Deny again${within}. Nothing was recorded yet.`
    : "Nothing was recorded. Ask an administrator to set up sign-in (OAUTH_CONNECTION_NAME).";
  return {
    template: "step-up",
    summary: `Sign in to approve: ${input.message}`,
    data: {
      title: "Sign in to approve",
      message: safeText(input.message),
      how,
      lastSignIn: input.lastSignInAt ? `Your last sign-in was at ${input.lastSignInAt}.` : "",
      canSignIn: input.canSignIn,
      requestId: input.requestId,
    },
  };
}
