import type { CardMessage } from "../ports/notifier";
import { LIMITS, safeText } from "./text";

export const MENU_ITEMS = ["browse", "myRequests", "myAccess", "myApprovals", "myReviews", "help"] as const;
export type MenuItem = (typeof MENU_ITEMS)[number];

const EXAMPLES = [
  "I need access to Salesforce",
  "what can I request?",
  "same access as Lola",
  "my requests",
  "my access",
  "my approvals",
  "cancel my request for Salesforce",
  "remove my access to Salesforce",
  "request Salesforce for Ben",
];

/** The first card a person sees, and the help card: what to type and buttons for the main actions. */
export function welcomeView(displayName: string | undefined, help = false): CardMessage {
  const name = displayName ? safeText(displayName.split(" ")[0], LIMITS.name) : "";
  return {
    template: "welcome",
    summary: help ? "What Access Desk can do" : "Welcome to Access Desk",
    data: {
      title: help ? "What I can do" : name ? `Hi ${name}, I'm Access Desk` : "Hi, I'm Access Desk",
      intro:
        "I help you get the access you need through access packages: you ask, the approvers decide in chat, " +
        "and the access is granted and removed on time.",
      examples: EXAMPLES.map((text) => ({ text: `"${text}"` })),
    },
  };
}
