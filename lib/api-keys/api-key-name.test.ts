import { describe, expect, it } from "vitest";
import { apiKeyNameProblem } from "./api-key-name.ts";

describe("apiKeyNameProblem", () => {
  it.each([
    ["moodle", null],
    ["  moodle  ", null],
    ["x".repeat(100), null],
    ["", "Name is required: say what uses the key, e.g. moodle"],
    ["   ", "Name is required: say what uses the key, e.g. moodle"],
    ["x".repeat(101), "Name must be at most 100 characters (it has 101)"],
  ])("%j → %s", (name, problem) => {
    expect(apiKeyNameProblem(name)).toBe(problem);
  });
});
