export * from "./recurrence";
export * from "./expiry-reminders";
export * from "./auto-removal";
