import "server-only";
import crypto from "node:crypto";

// The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it, for the embedded
// database's wire server: the password itself never crosses the socket, and a client that does not
// know it learns nothing it could replay. No channel binding (the server is plain TCP on loopback).

export const SCRAM_MECHANISM = "SCRAM-SHA-256";
const ITERATIONS = 4096;

const hmac = (key: Buffer, text: string) => crypto.createHmac("sha256", key).update(text).digest();
const sha256 = (data: Buffer) => crypto.createHash("sha256").update(data).digest();

/** What the server keeps of a password: salt, stored key and server key (never the password). */
export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

export function scramVerifier(password: string): ScramVerifier {
  const salt = crypto.randomBytes(16);
  const salted = crypto.pbkdf2Sync(password.normalize("NFKC"), salt, ITERATIONS, 32, "sha256");
  return {
    salt,
    iterations: ITERATIONS,
    storedKey: sha256(hmac(salted, "Client Key")),
    serverKey: hmac(salted, "Server Key"),
  };
}

function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of message.split(",")) {
    const eq = part.indexOf("=");
    if (eq === 1) map.set(part[0]!, part.slice(2));
  }
  return map;
}

/** One client's exchange: first message in, server-first out; final message in, verdict and server-final out. */
export class ScramExchange {
  private clientFirstBare = "";
  private serverFirst = "";
  private gs2Header = "";
  private nonce = "";

  constructor(private readonly verifier: ScramVerifier) {}

  /** The client-first-message; returns the server-first-message, or null when it is malformed. */
  start(clientFirst: string): string | null {
    // gs2-header: "n,," (client does not support channel binding) or "y,," (it does, we do not offer it).
    const match = /^([ny]),([^,]*),(.*)$/.exec(clientFirst);
    if (!match || match[2] !== "") return null;
    this.gs2Header = `${match[1]},,`;
    this.clientFirstBare = match[3]!;
    const clientNonce = attributes(this.clientFirstBare).get("r");
    if (!clientNonce || /[^\x21-\x2b\x2d-\x7e]/.test(clientNonce) || attributes(this.clientFirstBare).has("m"))
      return null;
    this.nonce = clientNonce + crypto.randomBytes(18).toString("base64");
    this.serverFirst = `r=${this.nonce},s=${this.verifier.salt.toString("base64")},i=${this.verifier.iterations}`;
    return this.serverFirst;
  }

  /** The client-final-message; returns the server-final-message when the proof is right, else null. */
  finish(clientFinal: string): string | null {
    if (!this.serverFirst) return null;
    const proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) return null;
    const withoutProof = clientFinal.slice(0, proofAt);
    const fields = attributes(withoutProof);
    if (fields.get("c") !== Buffer.from(this.gs2Header).toString("base64") || fields.get("r") !== this.nonce)
      return null;
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), "base64");
    if (proof.length !== 32) return null;
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(this.verifier.storedKey, authMessage);
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    if (!crypto.timingSafeEqual(sha256(clientKey), this.verifier.storedKey)) return null;
    return `v=${hmac(this.verifier.serverKey, authMessage).toString("base64")}`;
  }
}
