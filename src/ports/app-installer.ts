import type { UserId } from "../domain/model";

/**
 * Installs the bot for a person who never opened it, so a proactive message can reach them (real
 * Teams answers 403 to a first message otherwise). `refused`: the directory would not install it
 * (no TeamsAppInstallation.ReadWriteForUser.All, the app blocked by policy, no such user).
 */
export interface AppInstaller {
  install(
    userId: UserId,
  ): Promise<{ installed: true; chatId?: string } | { installed: false; reason: string }>;
}
