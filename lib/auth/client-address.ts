import "server-only";
import { randomBytes } from "node:crypto";
import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { isIP, type Socket } from "node:net";
import { env } from "../env.ts";

/**
 * Who is asking, for the sign-in limits and the address recorded with a dashboard session.
 *
 * X-Forwarded-For is written by whoever sends the request: its leftmost entries are the client's
 * own words. Only entries appended by proxies we run can be believed, and only the operator knows
 * how many there are (ROLLCALL_TRUSTED_PROXY_HOPS):
 * - 0 (the default, no proxy): the chain is ignored; the client is the connection's own address.
 * - N: the N-th address from the right end of the chain is the one our outermost proxy saw. A chain
 *   shorter than N (a request that reached an inner proxy directly) gives its leftmost address,
 *   which one of our proxies wrote; no chain at all gives the connection's address.
 * A value that is not an IP address gives "unknown".
 */
export function clientAddress({
  peer,
  forwardedFor,
  hops,
}: {
  peer: string | undefined;
  forwardedFor: string | undefined;
  hops: number;
}): string {
  if (hops > 0) {
    const chain = (forwardedFor ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (chain.length > 0) return normalizeAddress(chain[Math.max(0, chain.length - hops)]!);
  }
  return normalizeAddress(peer ?? "");
}

/** An address as proxies write it (IPv4-mapped IPv6, brackets, a port) reduced to the bare IP. */
export function normalizeAddress(value: string): string {
  let address = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  if (v4WithPort) address = v4WithPort[1]!;
  address = address.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  return isIP(address) ? address : "unknown";
}

/**
 * The key one client is limited under: an IPv4 address, or an IPv6 address's /64 network (one
 * subscriber is usually given a whole /64, so single IPv6 addresses cost an attacker nothing).
 */
export function addressLimitKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.padStart(4, "0"))
    .join(":")}::/64`;
}

// Next.js gives a route handler no socket (NextRequest has no ip since Next 15) and, when the client
// sent an X-Forwarded-For, keeps the client's value instead of the connection's address. So the
// address is taken where the socket is still known: Node's documented diagnostics channel for
// incoming requests, published just before the server's "request" event. The result is written
// into a request header whose name is random per process: a client cannot guess it, so a request
// that arrives before this is installed carries none, and is counted as "unknown".
const globals = globalThis as unknown as { rollcallClientAddressHeader?: string };

/** Installs the stamp (once per process, from instrumentation.ts, before requests are served). */
export function installClientAddressStamp(hops: number = env().ROLLCALL_TRUSTED_PROXY_HOPS): void {
  if (globals.rollcallClientAddressHeader) return;
  const header = `x-rollcall-client-address-${randomBytes(12).toString("hex")}`;
  diagnosticsChannel.subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const forwarded = request.headers["x-forwarded-for"];
    request.headers[header] = clientAddress({
      peer: socket.remoteAddress,
      forwardedFor: Array.isArray(forwarded) ? forwarded.join(",") : forwarded,
      hops,
    });
  });
  globals.rollcallClientAddressHeader = header;
}

/** The header the stamp writes, or a name no request carries when it is not installed (CLI, tests). */
export function clientAddressHeader(): string {
  return globals.rollcallClientAddressHeader ?? "x-rollcall-client-address-not-installed";
}

/** The client address of a request that reached this process's HTTP server. */
export function requestClientAddress(headers: Headers): string {
  return headers.get(clientAddressHeader()) ?? "unknown";
}
