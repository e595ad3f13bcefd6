import type { UserId } from "../../domain/model";
import type { AppInstaller } from "../../ports/app-installer";
import type { Logger } from "../../ports/logger";
import { odataString, seg, withQuery } from "./odata";
import { errorMessage, type GraphTransport } from "./transport";

/**
 * Installs the Teams app for a user through Graph (permission
 * TeamsAppInstallation.ReadWriteForUser.All): `POST /users/{id}/teamwork/installedApps` binding the
 * app catalog id (TEAMS_APP_CATALOG_ID), 409 meaning "already installed"; then reads the
 * installation and its 1:1 chat (`GET .../installedApps/{id}/chat`) so the chat exists before the
 * bot writes. A 403 or 404 is a refusal; anything else (429/5xx after retries) throws, to be tried again.
 */
export class GraphAppInstaller implements AppInstaller {
  constructor(
    private readonly transport: GraphTransport,
    private readonly catalogAppId: string,
    private readonly logger?: Logger,
  ) {}

  async install(userId: UserId) {
    const apps = `/users/${seg(userId)}/teamwork/installedApps`;
    const added = await this.transport.call({
      method: "POST",
      url: apps,
      body: {
        "teamsApp@odata.bind": `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${this.catalogAppId}`,
      },
    });
    if (added.status === 403 || added.status === 404) {
      const reason = `${added.status}: ${errorMessage(added.body)}`;
      this.logger?.warn({ userId, status: added.status }, "the app could not be installed for the user");
      return { installed: false as const, reason };
    }
    if (added.status !== 201 && added.status !== 200 && added.status !== 409)
      throw new Error(
        `Installing the app for ${userId} answered ${added.status}: ${errorMessage(added.body)}`,
      );
    const found = await this.transport.call({
      method: "GET",
      url: withQuery(apps, {
        $expand: "teamsApp",
        $filter: `teamsApp/id eq ${odataString(this.catalogAppId)}`,
      }),
    });
    const installation = (found.body as { value?: { id: string }[] } | undefined)?.value?.[0];
    if (found.status !== 200 || !installation) return { installed: true as const };
    const chat = await this.transport.call({ method: "GET", url: `${apps}/${seg(installation.id)}/chat` });
    const chatId = chat.status === 200 ? (chat.body as { id?: string }).id : undefined;
    this.logger?.info({ userId, chatId }, "the app was installed for the user");
    return chatId ? { installed: true as const, chatId } : { installed: true as const };
  }
}
