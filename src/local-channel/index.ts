export { createLocalChannel, type LocalChannel } from "./connector";
export type { LocalChannelDriver } from "./driver";
export type { LocalIdentityProvider, SimulatedSignIn } from "./identity-provider";
export type {
  ChannelInfo,
  InvokeResult,
  LocalChannelHooks,
  LocalChannelOptions,
  Persona,
  RecordedActivity,
} from "./types";
