import { parseCommandArgs, wantsHelp, type CommandDefinition } from "./define-command.ts";
import { COMMAND_GROUPS, COMMANDS } from "./definitions/index.ts";
import { renderCommandHelp, renderOverview } from "./help.ts";
import { UsageError } from "./output.ts";
import { didYouMean, joinWords } from "./suggest.ts";

const PROGRAM = "rollcall";
const HELP_WORDS = ["help", "--help", "-h"];

interface Resolved {
  /** How it is typed: ["academy:livekit-key", "rotate"]. */
  path: string[];
  command: CommandDefinition;
  rest: string[];
}

/**
 * The command the words name, down to an action of a command that has several; `onFound` hears of
 * the command as soon as it is known, so that errors name it. Throws a UsageError with the nearest
 * names for a misspelt one. A command of several actions named without one resolves to itself.
 */
function resolveCommand(words: string[], onFound: (path: string[]) => void = () => undefined): Resolved {
  const [name = "", ...rest] = words;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command)
    throw new UsageError(
      `Unknown command ${name}.${didYouMean(
        name,
        COMMANDS.map((candidate) => candidate.name),
      )} '${PROGRAM} help' lists the commands.`,
    );
  onFound([name]);
  if (!command.subcommands) return { path: [name], command, rest };
  const [action, ...actionRest] = rest;
  if (action === undefined || action.startsWith("-")) return { path: [name], command, rest };
  const sub = command.subcommands.find((candidate) => candidate.name === action);
  const actions = command.subcommands.map((candidate) => candidate.name);
  if (!sub)
    throw new UsageError(`Unknown action ${action}.${didYouMean(action, actions)} The actions: ${joinWords(actions)}.`);
  onFound([name, action]);
  return { path: [name, action], command: sub, rest: actionRest };
}

/** Runs `rollcall <argv>`; the exit status: 0 done, 1 failed, 2 a usage error. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) {
    console.error(renderOverview(COMMAND_GROUPS, PROGRAM));
    return 2;
  }
  // Whose error it is: `rollcall`, or the command once it is known.
  let where = PROGRAM;
  const onFound = (path: string[]) => (where = `${PROGRAM} ${path.join(" ")}`);
  try {
    if (HELP_WORDS.includes(argv[0]!)) {
      const topic = argv.slice(1);
      if (!topic.length) {
        console.log(renderOverview(COMMAND_GROUPS, PROGRAM));
        return 0;
      }
      const { path, command } = resolveCommand(topic, onFound);
      console.log(renderCommandHelp(`${PROGRAM} ${path.join(" ")}`, command));
      return 0;
    }
    const { path, command, rest } = resolveCommand(argv, onFound);
    // Help wins over everything else on the line: it never runs the command.
    if (wantsHelp(rest)) {
      console.log(renderCommandHelp(`${PROGRAM} ${path.join(" ")}`, command));
      return 0;
    }
    if (command.subcommands) {
      throw new UsageError(
        `say what to do first: ${joinWords(
          command.subcommands.map((sub) => sub.name),
          "or",
        )}`,
      );
    }
    const parsed = parseCommandArgs(command, rest);
    const run = await command.load!();
    return await run(parsed);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${where}: ${(error as Error).message}`);
      if (where !== PROGRAM) console.error(`See '${where} --help'.`);
      return 2;
    }
    console.error(`${where} failed: ${(error as Error).message}`);
    return 1;
  }
}
