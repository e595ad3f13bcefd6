import type { Application, TurnState } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import { proveStepUp } from "../../app/step-up/prove-step-up";
import type { DomainError } from "../../domain/errors";
import { mayView } from "../../domain/request/visibility";
import { errorView } from "../../views/error";
import { renderCard } from "../../views/render";
import { stepUpView } from "../../views/step-up";
import { auditInvalidAction, CardData } from "../card-data";
import { approvalMessage } from "../cards";
import { type HandlerDeps, actorOf, answerInvoke, saveReference, unexpected } from "../turn";
import type { ActionAnswer } from "../actions/execute";

/** The Universal Actions answer that makes Teams show its sign-in prompt for the card. */
export const LOGIN_REQUEST = "application/vnd.microsoft.activity.loginRequest";
const SIGN_IN_INVOKES = new Set(["signin/tokenExchange", "signin/verifyState"]);

/**
 * The answer to Approve or Deny refused for want of a fresh MFA sign-in (decideApproval's step-up
 * gate recorded nothing and audited the refusal): the "Sign in to approve" card.
 */
export function stepUpAnswer(
  deps: HandlerDeps,
  requestId: string,
  error: Pick<DomainError, "message" | "details">,
): ActionAnswer {
  const details = error.details ?? {};
  return stepUpView({
    requestId,
    message: error.message,
    freshnessMinutes: Number(details.freshnessMinutes ?? 0),
    canSignIn: Boolean(deps.stepUp && deps.stepUpSignIn),
    ...(typeof details.lastSignInAt === "string" ? { lastSignInAt: details.lastSignInAt } : {}),
  });
}

async function answerBody(context: TurnContext, status: number, body: unknown): Promise<void> {
  await context.sendActivity({ type: "invokeResponse", value: { status, body } });
}

/**
 * "Sign in to approve" (`approval.signIn`): without a token in the invoke, answers with a login
 * request (Teams shows the OAuth connection's sign-in and sends the click again with a magic code
 * or an SSO token); with one, the token is verified and judged, and the approval card comes back
 * so the approver can decide while the sign-in is fresh.
 */
async function signInAction(deps: HandlerDeps, context: TurnContext, raw: unknown): Promise<void> {
  const actorId = actorOf(context);
  const parsed = CardData.parse(raw);
  const requestId = parsed.ok ? parsed.value.id("requestId") : parsed;
  if (!actorId || !requestId.ok) {
    const message = !actorId
      ? "Sign in with a work account to use this card."
      : requestId.ok
        ? ""
        : requestId.error.message;
    await auditInvalidAction(deps, actorId, "approval.signIn", message);
    return answerInvoke(context, renderCard(errorView({ code: "CARD.INVALID", message })));
  }
  const request = (await deps.requests.get(requestId.value))?.value;
  if (!request || !mayView(request, actorId)) {
    const notFound = {
      code: "REQUEST.NOT_FOUND" as const,
      message: "That request doesn't exist or isn't yours to see.",
    };
    return answerInvoke(context, renderCard(errorView(notFound)));
  }
  const signIn = deps.stepUpSignIn;
  if (!deps.stepUp || !signIn) {
    const message = "Sign-in isn't set up for Access Desk.";
    return answerInvoke(
      context,
      renderCard(stepUpView({ requestId: request.id, message, freshnessMinutes: 0, canSignIn: false })),
    );
  }
  const token = await signIn.tokenFrom(context);
  if (!token) {
    const link = await signIn.signInLink(context);
    if (!link) {
      const message = "The sign-in page could not be reached. Try again in a minute.";
      return answerInvoke(context, renderCard(errorView({ code: "CARD.INVALID", message })));
    }
    return answerBody(context, 200, {
      statusCode: 401,
      type: LOGIN_REQUEST,
      value: {
        text: "Sign in to approve",
        connectionName: deps.stepUpConnectionName ?? "",
        buttons: [{ type: "signin", title: "Sign in", value: link }],
      },
    });
  }
  const proved = await proveStepUp(deps, { actorId, token, source: "card:approval.signIn" });
  const answer = proved.ok
    ? await approvalMessage(
        deps,
        request,
        actorId,
        "You signed in with multi-factor authentication. Approve or deny now.",
      )
    : stepUpView({
        requestId: request.id,
        message: proved.error.message,
        freshnessMinutes: 0,
        canSignIn: true,
      });
  return answerInvoke(context, renderCard(answer));
}

/**
 * `signin/verifyState` and `signin/tokenExchange`, the invokes an OAuth sign-in card ends with:
 * the token becomes a step-up proof (or is refused), and the approver is told which.
 */
async function signInInvoke(deps: HandlerDeps, context: TurnContext): Promise<void> {
  const actorId = actorOf(context);
  const signIn = deps.stepUpSignIn;
  const token = actorId && signIn && deps.stepUp ? await signIn.tokenFrom(context) : undefined;
  const id = (context.activity.value as { id?: unknown } | undefined)?.id;
  if (!actorId || !token) {
    // 412 tells Teams the exchange failed, so it falls back to an interactive sign-in.
    return answerBody(context, 412, {
      id,
      connectionName: deps.stepUpConnectionName ?? "",
      failureDetail: "no token",
    });
  }
  const proved = await proveStepUp(deps, { actorId, token, source: `invoke:${context.activity.name}` });
  await answerBody(context, 200, proved.ok ? { id } : { id, failureDetail: proved.error.code });
  await context.sendActivity(
    proved.ok
      ? "You signed in with multi-factor authentication. Choose Approve or Deny on the request again."
      : proved.error.message,
  );
}

/** Registers the sign-in verb and invokes; call before any catch-all card route. */
export function registerStepUp<TState extends TurnState>(app: Application<TState>, deps: HandlerDeps): void {
  app.adaptiveCards.actionExecute("approval.signIn", async (context, _state, raw) => {
    try {
      await saveReference(deps, context);
      await signInAction(deps, context, raw);
    } catch (error) {
      await answerInvoke(context, renderCard(unexpected(deps, error, "action approval.signIn")));
    }
    return "";
  });
  app.addRoute(
    async (context) =>
      context.activity.type === "invoke" && SIGN_IN_INVOKES.has(String(context.activity.name)),
    async (context) => {
      try {
        await signInInvoke(deps, context);
      } catch (error) {
        deps.logger.error({ err: error }, "a sign-in invoke failed");
        await answerBody(context, 500, { failureDetail: "unexpected error" });
      }
    },
    true,
  );
}
