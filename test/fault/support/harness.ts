/**
 * What the fault suite's tests share: one Azurite and one recording Bot Connector for the whole
 * run, Access Desk child processes started ahead of time (`fixture`), the counting of what a run
 * lost, doubled, left stuck or left unaudited against a run without faults (`figures`), and the
 * table the tests print (`report`).
 */
export * from "./fixture";
export * from "./figures";
export * from "./reference";
export * from "./report";
