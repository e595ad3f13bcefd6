export { extensionHandlers, deliverExtensionCall } from "./deliver";
export { answerApprovalCallback, type ApprovalCallbackInput, type CallbackAnswer } from "./approval-callback";
export { planExtensionCalls } from "./plan";
