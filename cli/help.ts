// The help texts, rendered from the command definitions alone. Pure.
import type { ArgumentSpec, CommandDefinition, OptionSpec } from "./define-command.ts";

export interface CommandGroup {
  title: string;
  commands: readonly CommandDefinition[];
}

const WIDTH = 96;

/** Breaks text into lines of at most `width` characters at spaces (a longer word keeps its line). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/ +/)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** Two columns, the second wrapped and indented under itself; `termWidth` lines up several tables. */
function formatRows(rows: [string, string][], termWidth = Math.max(...rows.map(([term]) => term.length))): string[] {
  const left = termWidth + 4;
  return rows.flatMap(([term, text]) =>
    wrapText(text, Math.max(WIDTH - left, 30)).map((line, i) =>
      `${(i === 0 ? `  ${term}` : "").padEnd(left)}${line}`.trimEnd(),
    ),
  );
}

const placeholder = (name: string, option: Exclude<OptionSpec, { type: "boolean" }>) =>
  `<${option.type === "string" && option.choices ? option.choices.join("|") : (option.value ?? name)}>`;

/** `--academy <slug>`, `--type <quran|academic|interactive>`, `--force`. */
export function optionTerm(name: string, option: OptionSpec): string {
  return option.type === "boolean" ? `--${name}` : `--${name} ${placeholder(name, option)}`;
}

const argumentTerm = (argument: ArgumentSpec) => `<${argument.name}>${argument.isVariadic ? "..." : ""}`;

/** What the option means, then whether it is required or its default. */
function optionText(option: OptionSpec): string {
  if (option.isRequired) return `${option.description} [required]`;
  const fixed = option.type !== "boolean" && option.default !== undefined ? String(option.default) : undefined;
  const shown = option.defaultText ?? fixed;
  return shown === undefined ? option.description : `${option.description} [default: ${shown}]`;
}

/** One line: the command, its arguments, its required options, then the optional ones in brackets. */
export function renderSynopsis(invocation: string, command: CommandDefinition): string {
  if (command.subcommands) return `${invocation} <${command.subcommands.map((sub) => sub.name).join("|")}> [options]`;
  const options = Object.entries(command.options);
  const parts = [
    ...(command.arguments ?? []).map((argument) =>
      argument.isRequired ? argumentTerm(argument) : `[${argumentTerm(argument)}]`,
    ),
    ...options.filter(([, option]) => option.isRequired).map(([name, option]) => optionTerm(name, option)),
    ...options.filter(([, option]) => !option.isRequired).map(([name, option]) => `[${optionTerm(name, option)}]`),
  ];
  return [invocation, ...parts].join(" ");
}

/**
 * A command's help: usage line, what it does, each argument and option with its meaning and default,
 * and examples. `invocation` is how it is typed (`rollcall academy:livekit-key rotate`).
 */
export function renderCommandHelp(invocation: string, command: CommandDefinition): string {
  const out = [
    `Usage: ${renderSynopsis(invocation, command)}`,
    "",
    ...wrapText(`${capitalize(command.summary)}.${command.description ? ` ${command.description}` : ""}`, WIDTH),
  ];
  if (command.subcommands) {
    out.push("", "Actions:", ...formatRows(command.subcommands.map((sub) => [sub.name, sub.summary])));
    out.push("", ...wrapText(`Each action's options and examples: ${invocation} <action> --help`, WIDTH));
  }
  if (command.arguments?.length)
    out.push(
      "",
      "Arguments:",
      ...formatRows(command.arguments.map((argument) => [argumentTerm(argument), argument.description])),
    );
  if (!command.subcommands) {
    const rows = Object.entries(command.options).map(([name, option]): [string, string] => [
      optionTerm(name, option),
      optionText(option),
    ]);
    out.push("", "Options:", ...formatRows([...rows, ["-h, --help", "show this help and do nothing else"]]));
  }
  out.push(
    "",
    command.examples.length > 1 ? "Examples:" : "Example:",
    ...command.examples.map((example) => `  ${example}`),
  );
  return out.join("\n");
}

/** The list of every command, by group, with one line each. */
export function renderOverview(groups: readonly CommandGroup[], program = "rollcall"): string {
  const out = [
    `Usage: ${program} <command> [options]`,
    `       ${program} help <command>      a command's options and examples (also: ${program} <command> --help)`,
  ];
  const termWidth = Math.max(...groups.flatMap((group) => group.commands.map((command) => command.name.length)));
  for (const group of groups)
    out.push(
      "",
      `${group.title}:`,
      ...formatRows(
        group.commands.map((command) => [command.name, command.summary]),
        termWidth,
      ),
    );
  out.push(
    "",
    ...wrapText(
      "With no DATABASE_URL the commands use the embedded database: the running app's, else the data folder (ROLLCALL_DATA_DIR, default .rollcall).",
      WIDTH,
    ),
    "Exit status: 0 done, 1 failed, 2 a usage error.",
  );
  return out.join("\n");
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
