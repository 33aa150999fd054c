import { describe, expect, test } from "vitest";
import { copyChunks, copyText } from "./copy-from.ts";

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

describe("COPY's input in chunks", () => {
  test("hold every line whole and in order, in chunks of at most 256 kB unless one line is longer", () => {
    const lines = Array.from({ length: 3_000 }, (_, i) => `${i}\tü row ${"x".repeat(i % 300)}\n`);
    const long = `${"é".repeat(200_000)}\n`; // 400,001 bytes: a chunk of its own
    const chunks = copyChunks([...lines, long, "last\n"]);
    expect(Buffer.concat(chunks).toString("utf8")).toBe([...lines, long, "last\n"].join(""));
    expect(chunks.map((chunk) => chunk.length).filter((size) => size > 256 * 1024)).toEqual([400_001]);
    for (const chunk of chunks) expect(chunk.at(-1)).toBe(0x0a);
    expect(copyChunks([])).toEqual([]);
  });
});
