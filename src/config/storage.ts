import type { EnvReader } from "./env-reader";
import type { Config, Mode } from "./settings";

const EMULATOR = "UseDevelopmentStorage=true";

/**
 * Table storage: the emulator by default (started in-process in local mode unless EMBEDDED_AZURITE
 * says otherwise); production refuses the emulator or any storage on this machine.
 */
export function readStorage({ read, bool, problems }: EnvReader, mode: Mode): Config["storage"] {
  const connectionString = read("STORAGE_CONNECTION_STRING") ?? EMULATOR;
  const embeddedAzurite = mode === "local" && bool("EMBEDDED_AZURITE", connectionString === EMULATOR);
  if (mode === "production" && pointsAtEmulator(connectionString)) {
    problems.push(
      "STORAGE_CONNECTION_STRING points at the storage emulator: production mode needs a real storage account",
    );
  }
  const tablePrefix = read("STORAGE_TABLE_PREFIX") ?? "accessdesk";
  if (!/^[A-Za-z][A-Za-z0-9]{0,29}$/.test(tablePrefix)) {
    problems.push(
      `STORAGE_TABLE_PREFIX="${tablePrefix}" is not valid: letters and digits, starting with a letter`,
    );
  }
  return { connectionString, tablePrefix, embeddedAzurite, dataDir: read("DATA_DIR") ?? ".data" };
}

/**
 * Whether a storage connection string names the emulator or this machine: the development shortcut
 * (any case), the emulator's account, or an endpoint on a loopback or unspecified address however
 * it is written (LOCALHOST, *.localhost, 127.1, any 127.x.x.x, 2130706433, [::1], 0.0.0.0, [::]).
 */
export function pointsAtEmulator(connectionString: string): boolean {
  const settings = new Map<string, string>();
  for (const part of connectionString.split(";")) {
    const at = part.indexOf("=");
    if (at > 0) settings.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  if (settings.get("usedevelopmentstorage")?.toLowerCase() === "true") return true;
  if (settings.get("accountname")?.toLowerCase() === "devstoreaccount1") return true;
  const suffix = settings.get("endpointsuffix");
  if (suffix && isLoopbackHostname(`account.table.${suffix}`)) return true;
  return [...settings]
    .filter(([key]) => key.endsWith("endpoint") || key === "developmentstorageproxyuri")
    .some(([, value]) => {
      try {
        return isLoopbackHostname(
          new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`).hostname,
        );
      } catch {
        return false;
      }
    });
}

/** A hostname as WHATWG URL normalises it (127.1 -> 127.0.0.1, [0:0::1] -> [::1]) on this machine. */
function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(host) || host === "0.0.0.0") return true;
  // IPv6: loopback, unspecified, and IPv4-mapped loopback or unspecified (::ffff:7f00:1, ::ffff:0:0).
  return host === "[::1]" || host === "[::]" || /^\[::ffff:(7f[0-9a-f]{2}:[0-9a-f]{1,4}|0:0)\]$/.test(host);
}
