import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { commandPaths } from "./definitions/index.ts";
import { renderCommandHelp } from "./help.ts";
import { main } from "./main.ts";

// `main` as the process runs it, for every command: what it prints, its exit status, and that
// the command itself is never loaded (loading is the only way to a database). The integration
// tests run the real process for a sample of the same lines, on a real database they leave untouched.

/** The words of an example's shell line after `rollcall <path>`, its quotes taken off. */
function exampleArguments(example: string, path: string[]): string[] {
  const words = [...example.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]!);
  return words.slice(words.indexOf("rollcall") + 1 + path.length);
}

let printed: { stdout: string; stderr: string };
const loads = vi.fn();
beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => (printed.stdout += `${args.join(" ")}\n`));
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => (printed.stderr += `${args.join(" ")}\n`));
  for (const { command } of commandPaths())
    if (command.load)
      vi.spyOn(command, "load").mockImplementation(() => {
        loads(command.name);
        throw new Error(`${command.name} was loaded`);
      });
});
afterEach(() => {
  vi.restoreAllMocks();
  loads.mockClear();
});

async function run(args: string[]) {
  printed = { stdout: "", stderr: "" };
  loads.mockClear();
  const code = await main(args);
  return { code, ...printed, loaded: loads.mock.calls.map(([name]) => name as string) };
}

describe("--help, -h and help <command>: the usage, exit 0, nothing run", () => {
  const cases = commandPaths().flatMap(({ path, command }) => {
    const usage = `${renderCommandHelp(`rollcall ${path.join(" ")}`, command)}\n`;
    // -h after the command's own example: every option of a real use is there, and still nothing runs.
    const example = command.subcommands
      ? [...path, "-h"]
      : [...path, ...exampleArguments(command.examples[0], path), "-h"];
    return [[...path, "--help"], ["help", ...path], example].map((args) => ({ args, usage }));
  });

  test("every command and action is covered: 23 commands and the 4 actions of academy:livekit-key", () => {
    expect(cases.length).toBe(3 * 27);
  });

  test.each(cases)("rollcall $args", async ({ args, usage }) => {
    expect(await run(args)).toEqual({ code: 0, stdout: usage, stderr: "", loaded: [] });
  });

  test("help wins over everything on the line, even --force and session ids", async () => {
    const calculate = commandPaths().find(({ path }) => path[0] === "attendance:calculate")!.command;
    const usage = `${renderCommandHelp("rollcall attendance:calculate", calculate)}\n`;
    for (const args of [
      ["attendance:calculate", "s1", "s2", "--academy", "al-noor", "--force", "--help"],
      ["attendance:calculate", "--help", "--academy", "al-noor"],
      ["attendance:calculate", "--academy", "al-noor", "-h"],
    ])
      expect(await run(args), args.join(" ")).toEqual({ code: 0, stdout: usage, stderr: "", loaded: [] });
  });
});

describe("a misspelt option, command or action gets the nearest name; a missing option is named alone; exit 2", () => {
  test.each<[string[], string]>([
    [
      ["api-key:create", "--acadmy", "al-noor"],
      "rollcall api-key:create: Unknown option --acadmy. Did you mean --academy?",
    ],
    [
      ["attendance:calculate", "--academy", "al-noor", "--forse"],
      "rollcall attendance:calculate: Unknown option --forse. Did you mean --force?",
    ],
    [
      ["atendance:calculate", "--academy", "al-noor"],
      "rollcall: Unknown command atendance:calculate. Did you mean attendance:calculate? 'rollcall help' lists the commands.",
    ],
    [
      ["help", "sesion:list"],
      "rollcall: Unknown command sesion:list. Did you mean session:list? 'rollcall help' lists the commands.",
    ],
    [
      ["academy:livekit-key", "rotat", "--academy", "al-noor", "--generate"],
      "rollcall academy:livekit-key: Unknown action rotat. Did you mean rotate? The actions: set, rotate, retire and show.",
    ],
    [
      ["attendance:calculate", "--academy", "al-noor", "--type", "quaran"],
      'rollcall attendance:calculate: --type must be quran, academic or interactive, not "quaran". Did you mean quran?',
    ],
    [
      ["user:create", "--academy", "al-noor", "--email", "khadija@example.test"],
      "rollcall user:create: --name is required",
    ],
    [["user:create", "--name", "Khadija"], "rollcall user:create: --academy and --email are required"],
    [["api-key:revoke", "--academy", "al-noor"], "rollcall api-key:revoke: --id is required"],
    [
      ["academy:livekit-key", "retire", "--academy", "al-noor"],
      "rollcall academy:livekit-key retire: --key is required",
    ],
    [
      ["academy:livekit-key", "--academy", "al-noor"],
      "rollcall academy:livekit-key: say what to do first: set, rotate, retire or show",
    ],
  ])("rollcall %j", async (args, message) => {
    const result = await run(args);
    expect({ ...result, stderr: result.stderr.split("\n")[0] }).toEqual({
      code: 2,
      stdout: "",
      stderr: message,
      loaded: [],
    });
  });

  test("a command's error says where its help is; rollcall's own does not", async () => {
    expect((await run(["user:create", "--name", "Khadija"])).stderr).toBe(
      "rollcall user:create: --academy and --email are required\nSee 'rollcall user:create --help'.\n",
    );
    expect((await run(["atendance:calculate"])).stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });
});

test("no words: the overview on stderr, exit 2; help alone: the overview on stdout, exit 0", async () => {
  const bare = await run([]);
  expect(bare.code).toBe(2);
  expect(bare.stdout).toBe("");
  expect(bare.stderr).toContain("attendance:calculate");
  const help = await run(["help"]);
  expect(help).toEqual({ code: 0, stdout: bare.stderr, stderr: "", loaded: [] });
});
