export * from "./recommend";
export * from "./start-review";
export * from "./decide";
export * from "./complete";
export * from "./escalate";
