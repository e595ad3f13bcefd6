/** Graph's own error bodies, so the client under test parses what it will meet in production. */

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

let requestCounter = 0;

export function graphError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Reply {
  const requestId = `00000000-0000-4000-8000-${String(++requestCounter).padStart(12, "0")}`;
  return {
    status,
    headers,
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString(),
          "request-id": requestId,
          "client-request-id": requestId,
        },
      },
    },
  };
}

export const notFound = (resource: string): Reply =>
  graphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${resource}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const alreadyExists = (property: "members" | "owners"): Reply =>
  graphError(
    400,
    "Request_BadRequest",
    `One or more added object references already exist for the following modified properties: '${property}'.`,
  );

export const appRoleAlreadyAssigned = (): Reply =>
  graphError(400, "Request_BadRequest", "Permission being assigned already exists on the object.");

export const badRequest = (message: string): Reply => graphError(400, "Request_BadRequest", message);

export const throttled = (retryAfterSeconds: number): Reply =>
  graphError(429, "TooManyRequests", "Too many requests, retry after the indicated time.", {
    "Retry-After": String(retryAfterSeconds),
  });

export const unavailable = (status = 503, retryAfterSeconds?: number): Reply =>
  graphError(
    status,
    status === 504 ? "GatewayTimeout" : "serviceNotAvailable",
    "The service is temporarily unavailable.",
    retryAfterSeconds !== undefined ? { "Retry-After": String(retryAfterSeconds) } : undefined,
  );

export const unauthorized = (): Reply =>
  graphError(401, "InvalidAuthenticationToken", "Access token is empty.");

export const forbidden = (): Reply =>
  graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
