// The handler types live with the use cases that implement them; the scheduler only runs them.
export { mergeHandlers, type DueHandler, type DueHandlers } from "../app/due-work";
