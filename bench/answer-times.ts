import { performance } from "node:perf_hooks";
import type restify from "restify";

type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

/** The line a bench bot prints when it starts writing an answer: `{"answered": <ms since the epoch>}`. */
export const ANSWERED_LINE = /^\{"answered":([0-9.]+)\}$/;

/**
 * Prints when the bot starts writing each answer to /api/messages, on a clock every process on the
 * machine shares (the epoch, to a fraction of a millisecond). The driver counts the storage requests
 * that ended before it as the ones the answer could have waited for.
 */
export function stampAnswers(handle: Handler): Handler {
  return (req, res) => {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => unknown;
    (res as unknown as { writeHead: (...args: unknown[]) => unknown }).writeHead = (...args: unknown[]) => {
      console.log(JSON.stringify({ answered: performance.timeOrigin + performance.now() }));
      return writeHead(...args);
    };
    return handle(req, res);
  };
}
