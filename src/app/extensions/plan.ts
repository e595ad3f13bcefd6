import type { AccessRequest, Assignment, DomainEvent, Instant } from "../../domain/model";
import {
  type CustomExtension,
  extensionIdOfActor,
  type ExtensionEventType,
} from "../../domain/extensions/model";
import { extensionsAt, stageOfEvent } from "../../domain/extensions/selection";
import type { GovernanceIndex } from "../../domain/governance-index";
import { addDays, isBefore } from "../../domain/time";
import type { EffectBatch } from "../../ports/events";
import type { DueItem } from "../../ports/stores";
import type { AppDeps } from "../deps";
import { loadIndex, nowIso } from "../shared/context";
import { callItem, type ExtensionCall } from "./call";
import { eventBody } from "./payload";

/** The entity an event is about, loaded as saved. */
interface Loaded {
  request?: AccessRequest;
  assignment?: Assignment;
}

async function load(deps: AppDeps, event: DomainEvent): Promise<Loaded> {
  if ("requestId" in event && typeof event.requestId === "string") {
    return { request: (await deps.requests.get(event.requestId))?.value };
  }
  if ("assignmentId" in event && typeof event.assignmentId === "string") {
    const assignment = (await deps.assignments.get(event.assignmentId))?.value;
    const request = assignment ? (await deps.requests.get(assignment.requestId))?.value : undefined;
    return { assignment, request };
  }
  return {};
}

/**
 * The custom extension calls a saved step's events ask for, as due `extensionCall` items: the
 * webhooks of the stages the package's catalog (and its policy) subscribe to, the call of an
 * approval extension when its stage starts, and the "removal scheduled" call N days before a
 * granted or extended assignment ends. Keys derive from the batch, so planning a batch again (a
 * rerun after a crash) schedules the same items once. Written before the batch's journal item is
 * removed, so a crash never loses a call.
 */
export async function planExtensionCalls(
  deps: AppDeps,
  events: DomainEvent[],
  batch?: Pick<EffectBatch, "id" | "at">,
): Promise<void> {
  if (events.length === 0) return;
  const index = await loadIndex(deps);
  if (!index.config.catalogs.some((c) => (c.extensions ?? []).length > 0)) return;
  const at = batch?.at ?? nowIso(deps);
  const batchId = batch?.id ?? deps.ids.next("ext");
  const items: DueItem[] = [];
  for (const [i, event] of events.entries()) {
    items.push(...(await callsOf(deps, index, event, `${batchId}-${i}`, at)));
  }
  if (items.length > 0) await deps.due.schedule(items);
}

async function callsOf(
  deps: AppDeps,
  index: GovernanceIndex,
  event: DomainEvent,
  eventKey: string,
  at: Instant,
): Promise<DueItem[]> {
  const stage = stageOfEvent(event);
  const startsApproval =
    event.type === "StageStarted" && event.approvers.some((id) => extensionIdOfActor(id) !== undefined);
  const extendsEnd = event.type === "AssignmentExtended";
  if (!stage && !startsApproval && !extendsEnd) return [];
  const loaded = await load(deps, event);
  const subjectEntity = loaded.assignment ?? loaded.request;
  if (!subjectEntity) return [];
  const catalog = index.catalogOfPackage(subjectEntity.packageId);
  const policy = index.policy(subjectEntity.policyId);
  if (!catalog?.extensions?.length) return [];
  // Nobody is told "removed" while the revokes still run: RemovalCompleted says it then.
  if (stage === "removed" && event.type !== "RemovalCompleted" && loaded.assignment?.removal) return [];

  const decidedBy = event.type === "StageApproved" || event.type === "RequestDenied" ? event.by : undefined;
  const body = await eventBody(deps, index, catalog, { ...loaded, occurredAt: at, decidedBy });
  const subject = loaded.assignment ? `assignment:${loaded.assignment.id}` : `request:${loaded.request!.id}`;
  const call = (
    x: CustomExtension,
    eventType: ExtensionEventType,
    key: string,
    extra: {
      body?: Record<string, unknown>;
      approval?: ExtensionCall["approval"];
      expectEndAt?: string;
    } = {},
  ): DueItem =>
    callItem(
      {
        extensionId: x.id,
        catalogId: catalog.id,
        packageId: subjectEntity.packageId,
        eventType,
        subject,
        attempt: 1,
        body: {
          id: key,
          type: eventType,
          extension: { id: x.id, ...(x.name ? { name: x.name } : {}) },
          ...body,
          ...extra.body,
        },
        ...(extra.approval ? { approval: extra.approval } : {}),
        ...(extra.expectEndAt ? { expectEndAt: extra.expectEndAt } : {}),
      },
      key,
      at,
    );

  const items: DueItem[] = [];
  if (stage) {
    const stageInfo =
      event.type === "StageApproved" || event.type === "RequestDenied"
        ? {
            stage: {
              number: event.stage,
              outcome: event.type === "StageApproved" ? "approve" : "deny",
              reason: event.type === "StageApproved" ? event.justification : event.reason,
            },
          }
        : {};
    for (const x of extensionsAt(catalog, policy, stage))
      items.push(call(x, stage, `${eventKey}-${x.id}`, { body: stageInfo }));
  }
  if (event.type === "StageStarted" && loaded.request) {
    const s = loaded.request.stages[event.stage - 1];
    for (const id of event.approvers) {
      const extId = extensionIdOfActor(id);
      const x = extId ? catalog.extensions.find((e) => e.id === extId) : undefined;
      if (!x || !s) continue;
      const approval = {
        requestId: loaded.request.id,
        stage: event.stage,
        startedAt: s.startedAt,
        extensionId: x.id,
        expiresAt: s.dueAt,
      };
      items.push(
        call(x, "approvalRequested", `${eventKey}-${x.id}`, {
          approval,
          body: { stage: { number: event.stage, startedAt: s.startedAt, decideBy: s.dueAt } },
        }),
      );
    }
  }
  // "Removal scheduled": N days before the end of access that was granted or extended.
  const a = loaded.assignment;
  if (a?.endAt && (stage === "granted" || extendsEnd)) {
    for (const x of extensionsAt(catalog, policy, "removalScheduled")) {
      const planned = addDays(a.endAt, -x.removalScheduledDaysBefore);
      const dueAt = isBefore(planned, at) ? at : planned;
      const key = `${a.id}-rs-${x.id}-${a.endAt.replace(/[^0-9]/g, "")}`;
      items.push({
        ...call(x, "removalScheduled", key, { expectEndAt: a.endAt, body: { removalAt: a.endAt } }),
        dueAt,
      });
    }
  }
  return items;
}
