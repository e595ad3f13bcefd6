import { silentLogger } from "../../../../src/adapters/runtime/logger";
import { NotificationSink } from "../../../../src/app/notify/notification-sink";
import type { NotificationSinkOptions } from "../../../../src/app/notify/sink-options";
import type { Notifier } from "../../../../src/ports/notifier";
import { notificationViews } from "../../../../src/views/notification-views";
import type { Harness } from "../../../bot/support/harness";

/** A notification sink on the harness's stores, sending through `notifier`. */
export function harnessSink(
  h: Harness,
  notifier: Notifier,
  options: Partial<NotificationSinkOptions> = {},
): NotificationSink {
  return new NotificationSink({
    sources: h.bot.deps,
    notifier,
    views: notificationViews,
    deliveries: h.stores.deliveries,
    due: h.stores.due,
    audit: h.stores.audit,
    logger: silentLogger,
    ...options,
  });
}
