// Where sign-in may go afterwards: every row resolved as the browser resolves it.
import { describe, expect, test } from "vitest";
import { safeNext, signInPathFor } from "./safe-next.ts";

const ORIGIN = "https://rollcall.example.com";

describe("safeNext keeps paths of this site and refuses every other origin", () => {
  // [next as the page receives it (already percent-decoded once), where sign-in goes]
  const table: [string | undefined | null, string][] = [
    // Paths of this site, with their query and fragment.
    ["/sessions", "/sessions"],
    ["/sessions/clx123?view=report&tab=timeline", "/sessions/clx123?view=report&tab=timeline"],
    ["/students/p1#trend", "/students/p1#trend"],
    ["/admin/events?event=participant_joined&room=a%20b", "/admin/events?event=participant_joined&room=a%20b"],
    ["/", "/"],
    // The same site written out in full, or relative: the parser's path is kept.
    [`${ORIGIN}/sessions/x?y=1`, "/sessions/x?y=1"],
    ["sessions/x", "/sessions/x"],
    ["/sessions/../admin/policy", "/admin/policy"],
    // A scheme with no slashes, the same as this one's: a relative path to the parser.
    ["https:evil.example", "/evil.example"],
    // Nothing given.
    [undefined, "/sessions"],
    [null, "/sessions"],
    ["", "/sessions"],
    // Reported: a backslash is a slash to the browser (/\evil.example is //evil.example).
    ["/\\evil.example", "/sessions"],
    ["\\/evil.example", "/sessions"],
    ["\\\\evil.example", "/sessions"],
    ["/\\/evil.example/path", "/sessions"],
    // Reported: tabs and newlines are dropped (/<tab>/evil.example is //evil.example).
    ["/\t/evil.example", "/sessions"],
    ["/\n/evil.example", "/sessions"],
    ["/\r\n/evil.example", "/sessions"],
    ["\t//evil.example", "/sessions"],
    // Other origins, however written.
    ["//evil.example", "/sessions"],
    ["///evil.example", "/sessions"],
    ["https://evil.example/sessions", "/sessions"],
    ["http://rollcall.example.com/sessions", "/sessions"],
    ["https://rollcall.example.com.evil.example/", "/sessions"],
    ["https://rollcall.example.com:8443/sessions", "/sessions"],
    ["https://rollcall.example.com@evil.example/", "/sessions"],
    ["https://user:pass@rollcall.example.com/sessions", "/sessions"],
    ["javascript:alert(1)", "/sessions"],
    ["data:text/html,<script>alert(1)</script>", "/sessions"],
    ["mailto:a@evil.example", "/sessions"],
    // Same origin, but a path the browser would read as another host once followed.
    ["/.//evil.example", "/sessions"],
    ["/./\\evil.example", "/sessions"],
    ["/x/..//evil.example", "/sessions"],
    // Leading blanks are dropped by the parser, as by the browser.
    ["  /sessions", "/sessions"],
    ["\u0000//evil.example", "/sessions"],
    // The sign-in page itself would only come back here.
    ["/sign-in?next=/sessions/x", "/sessions"],
    // Encoded slashes stay encoded: a path on this site, not another host.
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["%2F%5Cevil.example", "/%2F%5Cevil.example"],
  ];
  test.each(table)("%j → %j", (next, expected) => {
    expect(safeNext(next, ORIGIN)).toBe(expected);
  });

  test("whatever it keeps, the browser resolves to this origin", () => {
    for (const [next] of table) {
      const path = safeNext(next, ORIGIN);
      expect(new URL(path, ORIGIN).origin, String(next)).toBe(ORIGIN);
      expect(path.startsWith("/") && !path.startsWith("//"), String(next)).toBe(true);
    }
  });

  test("an origin that cannot be parsed falls back to the sessions list", () => {
    expect(safeNext("/sessions/x", "not an origin")).toBe("/sessions");
  });
});

test("signInPathFor encodes the whole path and query into next", () => {
  expect(signInPathFor("/sessions/x?view=report&a=b")).toBe("/sign-in?next=%2Fsessions%2Fx%3Fview%3Dreport%26a%3Db");
  expect(new URL(signInPathFor("/sessions/x?view=report&a=b"), ORIGIN).searchParams.get("next")).toBe(
    "/sessions/x?view=report&a=b",
  );
});
