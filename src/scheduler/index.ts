export * from "./settings";
export * from "./handlers";
export * from "./scheduler";
