/**
 * Reads settings from an environment record and collects every problem instead of stopping at the
 * first, so one start names all the wrong settings. The caller decides when the problems are fatal.
 */
export interface EnvReader {
  /** The environment the settings come from (for families of variables, e.g. EXTENSION_SECRET_*). */
  env: NodeJS.ProcessEnv;
  /** Problems found so far, in the order the settings were read. */
  problems: string[];
  /** The trimmed value; set but empty counts as unset. */
  read(name: string): string | undefined;
  int(name: string, fallback: number, min: number, max: number): number;
  bool(name: string, fallback: boolean): boolean;
}

export function envReader(env: NodeJS.ProcessEnv): EnvReader {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}="${raw}" is not valid: use a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (["true", "1", "yes"].includes(raw)) return true;
    if (["false", "0", "no"].includes(raw)) return false;
    problems.push(`${name}="${raw}" is not valid: use true or false`);
    return fallback;
  };
  return { env, problems, read, int, bool };
}
