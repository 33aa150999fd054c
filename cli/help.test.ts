import { describe, expect, test } from "vitest";
import { defineCommand, defineCommandGroup, defineOptions, type CommandDefinition } from "./define-command.ts";
import { optionTerm, renderCommandHelp, renderOverview, renderSynopsis, wrapText } from "./help.ts";

const run = async () => 0;
const GREET_OPTIONS = defineOptions({
  academy: { type: "string", value: "slug", description: "whose people", isRequired: true },
  tone: { type: "string", choices: ["warm", "formal"], description: "how", default: "warm" },
  times: { type: "integer", value: "n", description: "how often", default: 1, min: 1, max: 9 },
  since: { type: "string", value: "date", description: "people added since then", defaultText: "the start of term" },
  loud: { type: "boolean", description: "in capitals" },
});
const greet = defineCommand({
  name: "people:greet",
  summary: "greet an academy's people",
  arguments: [{ name: "person id", description: "only these people", isVariadic: true }],
  options: GREET_OPTIONS,
  examples: ["rollcall people:greet --academy al-noor", "rollcall people:greet p1 p2 --academy al-noor --loud"],
  load: async () => run,
});
const bare = defineCommand({
  name: "people:count",
  summary: "count people",
  options: {},
  examples: ["rollcall people:count"],
  load: async () => run,
});
const group = defineCommandGroup({
  name: "people:key",
  summary: "a person's key: add or drop",
  description: "Keys open doors.",
  examples: ["rollcall people:key add --academy al-noor"],
  subcommands: [
    defineCommand({
      name: "add",
      summary: "add a key",
      options: defineOptions({ academy: GREET_OPTIONS.academy }),
      examples: ["rollcall people:key add --academy al-noor"],
      load: async () => run,
    }),
    defineCommand({
      name: "drop",
      summary: "drop a key",
      options: {},
      examples: ["rollcall people:key drop"],
      load: async () => run,
    }),
  ],
});

test.each([
  // the value's name, the choices instead, or a flag alone
  ["academy", GREET_OPTIONS.academy, "--academy <slug>"],
  ["tone", GREET_OPTIONS.tone, "--tone <warm|formal>"],
  ["times", GREET_OPTIONS.times, "--times <n>"],
  ["loud", GREET_OPTIONS.loud, "--loud"],
  ["colour", { type: "string", description: "no value name given" }, "--colour <colour>"],
] as const)("optionTerm(%s)", (name, option, expected) => {
  expect(optionTerm(name, option)).toBe(expected);
});

test.each([
  // arguments, then required options, then optional ones in brackets
  [
    greet,
    "rollcall people:greet [<person id>...] --academy <slug> [--tone <warm|formal>] [--times <n>] [--since <date>] [--loud]",
  ],
  [bare, "rollcall people:count"],
  [group, "rollcall people:key <add|drop> [options]"],
] as [CommandDefinition, string][])("renderSynopsis(%#)", (command, expected) => {
  expect(renderSynopsis(`rollcall ${command.name}`, command)).toBe(expected);
});

test.each([
  ["one two three", 7, ["one two", "three"]],
  ["one two three", 100, ["one two three"]],
  ["a-very-long-word x", 5, ["a-very-long-word", "x"]], // a longer word keeps a line of its own
  ["first\nsecond", 100, ["first", "second"]],
])("wrapText(%j, %i)", (text, width, expected) => {
  expect(wrapText(text, width)).toEqual(expected);
});

describe("renderCommandHelp", () => {
  test("usage, what it does, arguments, every option with its meaning and default, help, examples", () => {
    expect(renderCommandHelp("rollcall people:greet", greet)).toBe(
      [
        "Usage: rollcall people:greet [<person id>...] --academy <slug> [--tone <warm|formal>] [--times <n>] [--since <date>] [--loud]",
        "",
        "Greet an academy's people.",
        "",
        "Arguments:",
        "  <person id>...  only these people",
        "",
        "Options:",
        "  --academy <slug>      whose people [required]",
        "  --tone <warm|formal>  how [default: warm]",
        "  --times <n>           how often [default: 1]",
        "  --since <date>        people added since then [default: the start of term]",
        "  --loud                in capitals",
        "  -h, --help            show this help and do nothing else",
        "",
        "Examples:",
        "  rollcall people:greet --academy al-noor",
        "  rollcall people:greet p1 p2 --academy al-noor --loud",
      ].join("\n"),
    );
  });

  test("a command with no options still lists --help, and one example is 'Example'", () => {
    expect(renderCommandHelp("rollcall people:count", bare)).toBe(
      [
        "Usage: rollcall people:count",
        "",
        "Count people.",
        "",
        "Options:",
        "  -h, --help  show this help and do nothing else",
        "",
        "Example:",
        "  rollcall people:count",
      ].join("\n"),
    );
  });

  test("a command of several actions lists them and says where their options are", () => {
    expect(renderCommandHelp("rollcall people:key", group)).toBe(
      [
        "Usage: rollcall people:key <add|drop> [options]",
        "",
        "A person's key: add or drop. Keys open doors.",
        "",
        "Actions:",
        "  add   add a key",
        "  drop  drop a key",
        "",
        "Each action's options and examples: rollcall people:key <action> --help",
        "",
        "Example:",
        "  rollcall people:key add --academy al-noor",
      ].join("\n"),
    );
  });

  test("a long meaning wraps under its own column", () => {
    const wordy = defineCommand({
      name: "x",
      summary: "x",
      options: defineOptions({
        flag: { type: "boolean", description: Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ") },
      }),
      examples: ["rollcall x"],
      load: async () => run,
    });
    const lines = renderCommandHelp("rollcall x", wordy).split("\n");
    const first = lines.findIndex((line) => line.startsWith("  --flag"));
    expect(lines[first]!.length).toBeLessThanOrEqual(96);
    expect(lines[first + 1]).toMatch(/^ {14}word\d+/);
  });
});

test("renderOverview: every group and command with its summary, in one column width, then the database and exit status", () => {
  expect(
    renderOverview([
      { title: "People", commands: [greet, bare] },
      { title: "Keys", commands: [group] },
    ]),
  ).toBe(
    [
      "Usage: rollcall <command> [options]",
      "       rollcall help <command>      a command's options and examples (also: rollcall <command> --help)",
      "",
      "People:",
      "  people:greet  greet an academy's people",
      "  people:count  count people",
      "",
      "Keys:",
      "  people:key    a person's key: add or drop",
      "",
      "With no DATABASE_URL the commands use the embedded database: the running app's, else the data",
      "folder (ROLLCALL_DATA_DIR, default .rollcall).",
      "Exit status: 0 done, 1 failed, 2 a usage error.",
    ].join("\n"),
  );
});
