import type { SignatureVerifier } from "../../ports/extensions";
import { sameSignature, signBody } from "./signing";

/** The extensions' secrets by name, from EXTENSION_SECRET_<NAME> (config.ts reads them). */
export class ExtensionSecrets implements SignatureVerifier {
  constructor(private readonly secrets: Readonly<Record<string, string>>) {}

  /** Throws with the variable to set when the secret is missing: nothing is sent unsigned. */
  get(name: string): string {
    const secret = this.secrets[name];
    if (!secret)
      throw new Error(`EXTENSION_SECRET_${name} is not set: put the extension's secret in the environment`);
    return secret;
  }

  verify(
    secretName: string,
    timestamp: string,
    body: string,
    signature: string,
  ): "valid" | "invalid" | "noSecret" {
    const secret = this.secrets[secretName];
    if (!secret) return "noSecret";
    return sameSignature(signBody(secret, timestamp, body), signature) ? "valid" : "invalid";
  }
}
