import type { Request, Response } from "restify";

/**
 * The JSON body of a request. Works whether or not the host server runs restify's bodyParser
 * (then `req.body` is already parsed) and with a raw, unread stream.
 */
export async function readJson(req: Request): Promise<unknown> {
  const parsed = (req as { body?: unknown }).body;
  if (parsed !== undefined && parsed !== null) {
    if (Buffer.isBuffer(parsed)) return parseText(parsed.toString("utf8"));
    return typeof parsed === "string" ? parseText(parsed) : parsed;
  }
  if (req.readableEnded) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return parseText(Buffer.concat(chunks).toString("utf8"));
}

function parseText(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest("Body is not valid JSON");
  }
}

export class BadRequest extends Error {}

export function sendJson(res: Response, status: number, body?: unknown): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  res.end(text);
}

export function sendFile(
  res: Response,
  contentType: string,
  content: Buffer | string,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(200, {
    ...extraHeaders,
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(content),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(content);
}
