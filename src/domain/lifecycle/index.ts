export * from "./recurrence";
export * from "./expiry-reminders";
