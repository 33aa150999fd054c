// The real command definitions: complete, consistent, and their examples valid by their own rules.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseCommandArgs } from "../define-command.ts";
import { optionTerm, renderCommandHelp, renderOverview, renderSynopsis } from "../help.ts";
import { COMMAND_GROUPS, COMMANDS, commandPaths } from "./index.ts";

/** The words of a shell line after `rollcall <path>`, with its quotes taken off. */
function exampleArgv(example: string, path: string[]): string[] {
  const words = [...example.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]!);
  const start = words.indexOf("rollcall");
  expect(words.slice(start + 1, start + 1 + path.length), example).toEqual(path);
  return words.slice(start + 1 + path.length);
}

test("the commands are grouped as the help lists them, each name once", () => {
  expect(COMMAND_GROUPS.map((group) => [group.title, group.commands.map((command) => command.name)])).toEqual([
    [
      "Academies and keys",
      ["academy:create", "academy:list", "academy:livekit-key", "api-key:create", "api-key:list", "api-key:revoke"],
    ],
    ["Users", ["user:create", "user:list"]],
    [
      "Sessions and attendance",
      [
        "session:list",
        "attendance:calculate",
        "attendance:reconcile",
        "attendance:verify",
        "attendance:history",
        "attendance:provenance",
      ],
    ],
    [
      "Attendance policy",
      ["policy:show", "policy:versions", "policy:preview", "policy:set", "policy:apply", "policy:applications"],
    ],
    ["Database", ["db:migrate", "db:serve"]],
    ["Demo", ["demo"]],
  ]);
  expect(
    commandPaths()
      .filter(({ path }) => path.length === 2)
      .map(({ path }) => path.join(" ")),
  ).toEqual([
    "academy:livekit-key set",
    "academy:livekit-key rotate",
    "academy:livekit-key retire",
    "academy:livekit-key show",
  ]);
});

describe.each(commandPaths().map(({ path, command }) => ({ name: path.join(" "), path, command })))(
  "$name",
  ({ path, command }) => {
    test("says what it does, and has code to run or actions", () => {
      expect(command.summary).toMatch(/^[a-z].{9,}[^.]$/);
      expect(Boolean(command.load) !== Boolean(command.subcommands)).toBe(true);
    });

    test("every option has a meaning, and none takes the name of help", () => {
      for (const [name, option] of Object.entries(command.options)) {
        expect(option.description, name).toMatch(/^[a-z].{5,}/);
        expect(["help", "h"]).not.toContain(name);
        if (option.isRequired)
          expect(
            option.type !== "boolean" && option.default !== undefined,
            `${name} is required and has a default`,
          ).toBe(false);
      }
    });

    test("every example is valid by its own definition", () => {
      for (const example of command.examples) {
        const argv = exampleArgv(example, path);
        // A command of several actions: its examples name one, and are valid by that action's rules.
        const action = command.subcommands?.find((sub) => sub.name === argv[0]);
        if (command.subcommands) expect(action, example).toBeDefined();
        expect(() => parseCommandArgs(action ?? command, action ? argv.slice(1) : argv), example).not.toThrow();
      }
    });

    test("its help shows the usage, every option and every example", () => {
      const help = renderCommandHelp(`rollcall ${path.join(" ")}`, command);
      expect(help.startsWith(`Usage: rollcall ${path.join(" ")}`)).toBe(true);
      for (const [name, option] of Object.entries(command.options)) expect(help).toContain(optionTerm(name, option));
      for (const example of command.examples) expect(help).toContain(`  ${example}`);
      for (const sub of command.subcommands ?? [])
        expect(help).toMatch(new RegExp(`^  ${sub.name} +${sub.summary.replace(/[()]/g, "\\$&").slice(0, 20)}`, "m"));
    });
  },
);

test("the overview names every command", () => {
  const overview = renderOverview(COMMAND_GROUPS);
  for (const command of COMMANDS) expect(overview).toMatch(new RegExp(`^  ${command.name} `, "m"));
});

test("the README's command line section lists every command as its definition does", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(
    readme.indexOf("## The command line\n"),
    readme.indexOf("\n## ", readme.indexOf("## The command line\n") + 1),
  );
  const listed = section.split("\n").filter((line) => /^npx rollcall [a-z-]+:|^npx rollcall demo/.test(line));
  const defined = commandPaths()
    .filter(({ command }) => !command.subcommands)
    .map(({ path, command }) => renderSynopsis(`npx rollcall ${path.join(" ")}`, command));
  expect(listed).toEqual(defined);
});
