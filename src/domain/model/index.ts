export * from "./ids";
export * from "./governance";
export * from "./directory";
export * from "./request";
export * from "./assignment";
export * from "./review";
export * from "./events";
export * from "./deadline";
