import { describe, expect, test } from "vitest";
import { copyText } from "./copy-from.ts";

describe("COPY's text format", () => {
  test("null is \\N; backslashes, newlines, carriage returns and tabs are escaped; the rest is as is", () => {
    expect(copyText(null)).toBe("\\N");
    expect(copyText(undefined)).toBe("\\N");
    expect(copyText("plain — ünïcode")).toBe("plain — ünïcode");
    expect(copyText('a\\b\nc\rd\te"f')).toBe('a\\\\b\\nc\\rd\\te"f');
    expect(copyText("\\N")).toBe("\\\\N");
    expect(copyText(12.5)).toBe("12.5");
    expect(copyText(true)).toBe("true");
  });
});
