// Which address a request is counted under, for each number of trusted proxies.
import { describe, expect, test } from "vitest";
import { addressLimitKey, clientAddress, normalizeAddress } from "./client-address.ts";

describe("clientAddress believes only what trusted proxies wrote", () => {
  // [connection's address, X-Forwarded-For as received, ROLLCALL_TRUSTED_PROXY_HOPS, client]
  const table: [string | undefined, string | undefined, number, string][] = [
    // No proxy (the default): the chain is the client's own words and is ignored.
    ["203.0.113.9", undefined, 0, "203.0.113.9"],
    ["203.0.113.9", "198.51.100.1", 0, "203.0.113.9"],
    ["203.0.113.9", "198.51.100.1, 198.51.100.2", 0, "203.0.113.9"],
    ["::ffff:203.0.113.9", "10.0.0.1", 0, "203.0.113.9"],
    [undefined, "198.51.100.1", 0, "unknown"],
    // One proxy: the rightmost entry is the address it saw; whatever the client wrote is left of it.
    ["10.0.0.2", "203.0.113.9", 1, "203.0.113.9"],
    ["10.0.0.2", "1.1.1.1, 2.2.2.2, 203.0.113.9", 1, "203.0.113.9"],
    ["10.0.0.2", "forged,203.0.113.9", 1, "203.0.113.9"],
    ["10.0.0.2", " 203.0.113.9 ", 1, "203.0.113.9"],
    // Two proxies (a CDN, then a load balancer): the second entry from the right.
    ["10.0.0.2", "1.1.1.1, 203.0.113.9, 192.0.2.50", 2, "203.0.113.9"],
    ["10.0.0.2", "203.0.113.9, 192.0.2.50", 2, "203.0.113.9"],
    // A chain shorter than the hops (a request that reached an inner proxy directly): its leftmost.
    ["10.0.0.2", "192.0.2.50", 2, "192.0.2.50"],
    // No chain at all: the connection.
    ["10.0.0.2", undefined, 1, "10.0.0.2"],
    ["10.0.0.2", "", 1, "10.0.0.2"],
    ["10.0.0.2", " , ", 1, "10.0.0.2"],
    // What proxies write beside a bare address.
    ["10.0.0.2", "203.0.113.9:51234", 1, "203.0.113.9"],
    ["10.0.0.2", "[2001:db8::1]:443", 1, "2001:db8::1"],
    ["10.0.0.2", "2001:DB8::1", 1, "2001:db8::1"],
    // Not an address at the trusted position: one shared "unknown" client, never the raw text.
    ["10.0.0.2", "203.0.113.9, unknown", 1, "unknown"],
    ["10.0.0.2", "<script>", 1, "unknown"],
  ];
  test.each(table)("peer %j, X-Forwarded-For %j, %i hops → %j", (peer, forwardedFor, hops, expected) => {
    expect(clientAddress({ peer, forwardedFor, hops })).toBe(expected);
  });

  test("a client that varies its X-Forwarded-For stays one client with no proxy, and with one", () => {
    const forged = Array.from({ length: 41 }, (_, i) => `198.51.${i}.7`);
    expect(new Set(forged.map((f) => clientAddress({ peer: "127.0.0.1", forwardedFor: f, hops: 0 })))).toEqual(
      new Set(["127.0.0.1"]),
    );
    expect(
      new Set(forged.map((f) => clientAddress({ peer: "10.0.0.2", forwardedFor: `${f}, 203.0.113.9`, hops: 1 }))),
    ).toEqual(new Set(["203.0.113.9"]));
  });
});

test("normalizeAddress", () => {
  expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
  expect(normalizeAddress("::1")).toBe("::1");
  expect(normalizeAddress("")).toBe("unknown");
  expect(normalizeAddress("999.1.1.1")).toBe("unknown");
});

test("an IPv6 client is limited by its /64, an IPv4 client by its address", () => {
  expect(addressLimitKey("203.0.113.9")).toBe("203.0.113.9");
  expect(addressLimitKey("2001:db8:1:2:aaaa::1")).toBe("2001:0db8:0001:0002::/64");
  expect(addressLimitKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:0db8:0001:0002::/64");
  expect(addressLimitKey("2001:db8::1")).toBe("2001:0db8:0000:0000::/64");
  expect(addressLimitKey("::1")).toBe("0000:0000:0000:0000::/64");
  expect(addressLimitKey("unknown")).toBe("unknown");
});
