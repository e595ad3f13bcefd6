export * from "./model";
export * from "./backoff";
export * from "./selection";
