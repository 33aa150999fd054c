import { describe, expect, test } from "vitest";
import { defineCommand, defineOptions, parseCommandArgs, wantsHelp } from "./define-command.ts";
import { UsageError } from "./output.ts";

const run = async () => 0;
const calculate = defineCommand({
  name: "attendance:calculate",
  summary: "calculate",
  arguments: [{ name: "session id", description: "sessions", isVariadic: true }],
  options: defineOptions({
    academy: { type: "string", value: "slug", description: "academy" },
    type: { type: "string", choices: ["quran", "academic", "interactive"], description: "type" },
    days: { type: "integer", value: "days", description: "days", default: 7, min: 1, max: 3660 },
    force: { type: "boolean", description: "force" },
  }),
  examples: ["rollcall attendance:calculate"],
  load: async () => run,
});
const create = defineCommand({
  name: "user:create",
  summary: "create",
  options: defineOptions({
    academy: { type: "string", value: "slug", description: "academy", isRequired: true },
    email: { type: "string", value: "email", description: "email", isRequired: true },
    name: { type: "string", value: "name", description: "name", isRequired: true },
    role: { type: "string", choices: ["teacher", "admin"], description: "role", default: "teacher" },
  }),
  examples: ["rollcall user:create"],
  load: async () => run,
});
const list = defineCommand({
  name: "academy:list",
  summary: "list",
  options: {},
  examples: ["rollcall academy:list"],
  load: async () => run,
});

describe("parseCommandArgs: what a command is given", () => {
  test.each([
    // argv → values (defaults filled in), positionals, the options given
    [[], { academy: undefined, type: undefined, days: 7, force: false }, [], []],
    [
      ["--academy", "al-noor", "--days", "30", "--force"],
      { academy: "al-noor", type: undefined, days: 30, force: true },
      [],
      ["academy", "days", "force"],
    ],
    [
      ["--days=1", "--type", "quran"],
      { academy: undefined, type: "quran", days: 1, force: false },
      [],
      ["days", "type"],
    ],
    [
      ["s1", "--academy", "a", "s2", "s3"],
      { academy: "a", type: undefined, days: 7, force: false },
      ["s1", "s2", "s3"],
      ["academy"],
    ],
    [["--days", "3660"], { academy: undefined, type: undefined, days: 3660, force: false }, [], ["days"]], // the maximum
    [
      ["--", "--not-an-option"],
      { academy: undefined, type: undefined, days: 7, force: false },
      ["--not-an-option"],
      [],
    ],
  ])("%j", (argv, values, positionals, given) => {
    const parsed = parseCommandArgs(calculate, argv);
    expect(parsed.values).toEqual(values);
    expect(parsed.positionals).toEqual(positionals);
    expect([...parsed.given].sort()).toEqual(given);
  });

  test("required options given: their values, and the default of the rest", () => {
    expect(parseCommandArgs(create, ["--academy", "a", "--email", "e@x", "--name", "N"]).values).toEqual({
      academy: "a",
      email: "e@x",
      name: "N",
      role: "teacher",
    });
  });
});

describe("parseCommandArgs: what is wrong, exactly", () => {
  test.each([
    [calculate, ["--acadmy", "x"], "Unknown option --acadmy. Did you mean --academy?"],
    [calculate, ["--forse"], "Unknown option --forse. Did you mean --force?"],
    [calculate, ["--colour", "red"], "Unknown option --colour."],
    [calculate, ["-x"], "Unknown option -x."],
    [list, ["--academy", "a"], "Unknown option --academy. academy:list takes no options."],
    [list, ["extra"], 'unexpected argument "extra": it takes options only'],
    [list, ["a", "b"], 'unexpected arguments "a" and "b": it takes options only'],
    [calculate, ["--academy"], "--academy needs a value: --academy <slug>"],
    [calculate, ["--academy", "--force"], "--academy needs a value: --academy <slug>"], // the next option is no value
    [calculate, ["--force=yes"], "--force takes no value"],
    [calculate, ["--days", "0"], '--days must be a whole number from 1 to 3660, not "0"'],
    [calculate, ["--days", "3661"], '--days must be a whole number from 1 to 3660, not "3661"'],
    [calculate, ["--days", "1.5"], '--days must be a whole number from 1 to 3660, not "1.5"'],
    [calculate, ["--days", "week"], '--days must be a whole number from 1 to 3660, not "week"'],
    [calculate, ["--type", "lecture"], '--type must be quran, academic or interactive, not "lecture".'],
    [
      calculate,
      ["--type", "quaran"],
      '--type must be quran, academic or interactive, not "quaran". Did you mean quran?',
    ],
    // only what is missing, by name
    [create, [], "--academy, --email and --name are required"],
    [create, ["--academy", "a", "--email", "e"], "--name is required"],
    [create, ["--name", "N"], "--academy and --email are required"],
  ])("%#: %j", (command, argv, message) => {
    expect(() => parseCommandArgs(command, argv)).toThrow(new UsageError(message));
  });
});

test.each([
  [["--help"], true],
  [["-h"], true],
  [["--academy", "a", "--help"], true],
  [["s1", "-h", "--force"], true],
  [["--", "--help"], false], // after `--` it is a value
  [["--helpful"], false],
  [[], false],
])("wantsHelp(%j) = %s", (argv, expected) => {
  expect(wantsHelp(argv)).toBe(expected);
});
