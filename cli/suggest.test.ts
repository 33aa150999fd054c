import { describe, expect, test } from "vitest";
import { didYouMean, editDistance, joinWords, suggest } from "./suggest.ts";

describe("editDistance (optimal string alignment)", () => {
  test.each([
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["academy", "academy", 0],
    ["acadmy", "academy", 1], // one letter left out
    ["acadmey", "academy", 1], // two neighbours swapped: one edit, not Levenshtein's two
    ["acedemy", "academy", 1], // one letter wrong
    ["academyy", "academy", 1], // one letter too many
    ["ca", "abc", 3], // a swap cannot be edited again (the restricted form)
    ["days", "type", 4],
    ["kitten", "sitting", 3],
  ])("%j → %j is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

const OPTIONS = ["academy", "days", "type", "force"];
const COMMANDS = [
  "academy:create",
  "academy:list",
  "api-key:list",
  "user:list",
  "attendance:calculate",
  "attendance:reconcile",
];

describe("suggest", () => {
  test.each([
    // typed, known, suggested: within a third of the typed letters (at least one)
    ["acadmy", OPTIONS, ["academy"]],
    ["ACADEMY", OPTIONS, ["academy"]],
    ["day", OPTIONS, ["days"]],
    ["forse", OPTIONS, ["force"]],
    ["tpe", OPTIONS, ["type"]],
    ["x", OPTIONS, []], // nothing close
    ["academic", OPTIONS, ["academy"]], // two edits, and eight letters allow floor(8 / 3) = 2
    ["acdmy", OPTIONS, []], // two edits, but five letters allow floor(5 / 3) = 1
    ["atendance:calculate", COMMANDS, ["attendance:calculate"]],
    ["attendance:calcualte", COMMANDS, ["attendance:calculate"]],
    ["calculate", COMMANDS, ["attendance:calculate"]], // the part after the colon
    ["reconcile", COMMANDS, ["attendance:reconcile"]],
    ["list", COMMANDS, ["academy:list", "api-key:list", "user:list"]], // a tie: all of them, in their order
    ["academy-create", COMMANDS, ["academy:create"]],
    ["delete", COMMANDS, []],
  ] as const)("%j among %j → %j", (typed, known, expected) => {
    expect(suggest(typed, known)).toEqual(expected);
  });
});

test.each([
  ["acadmy", OPTIONS, undefined, " Did you mean academy?"],
  ["acadmy", OPTIONS, (word: string) => `--${word}`, " Did you mean --academy?"],
  ["list", COMMANDS, undefined, " Did you mean academy:list, api-key:list or user:list?"],
  ["zzz", OPTIONS, undefined, ""],
])("didYouMean(%j)", (typed, known, show, expected) => {
  expect(didYouMean(typed, known, show)).toBe(expected);
});

test.each([
  [[], "and", ""],
  [["a"], "and", "a"],
  [["a", "b"], "and", "a and b"],
  [["a", "b", "c"], "or", "a, b or c"],
] as const)("joinWords(%j, %s)", (words, conjunction, expected) => {
  expect(joinWords(words, conjunction)).toBe(expected);
});
