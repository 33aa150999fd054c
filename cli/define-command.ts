import { parseArgs } from "node:util";
import { optionTerm } from "./help.ts";
import { UsageError } from "./output.ts";
import { didYouMean, joinWords } from "./suggest.ts";

// A command is defined once: its name, words, arguments, options (each with its meaning and default)
// and examples. The parser (node:util parseArgs) and the help text are both derived from that
// definition, so they cannot disagree. Definitions import nothing heavy: the code that runs a
// command is loaded only when it runs, so `--help` answers at once.

interface BaseOption {
  /** One line: what the option means. */
  description: string;
  isRequired?: boolean;
  /** The default in words, where it is not a fixed value (one read from the environment, say). */
  defaultText?: string;
}
export interface StringOption extends BaseOption {
  type: "string";
  /** The value's name in usage lines: `--academy <slug>` (choices are listed instead; else the option's name). */
  value?: string;
  default?: string;
  choices?: readonly string[];
}
export interface IntegerOption extends BaseOption {
  type: "integer";
  value: string;
  default?: number;
  min: number;
  max: number;
}
/** A flag: false unless given. */
export interface BooleanOption extends BaseOption {
  type: "boolean";
}
export type OptionSpec = StringOption | IntegerOption | BooleanOption;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface ArgumentSpec {
  /** Its name in usage lines: `<session id>`. */
  name: string;
  description: string;
  /** Any number of them (`<session id>...`); otherwise at most one. */
  isVariadic?: boolean;
  isRequired?: boolean;
}

type ValueOf<S> = S extends { type: "boolean" }
  ? boolean
  : S extends { type: "integer" }
    ? number
    : S extends { choices: readonly (infer C)[] }
      ? C
      : string;
type IsAlwaysSet<S> = S extends { type: "boolean" }
  ? true
  : S extends { isRequired: true }
    ? true
    : S extends { default: string | number }
      ? true
      : false;

/** The parsed values: required options, flags and options with a default are always set. */
export type OptionValues<O extends OptionSpecs> = {
  -readonly [K in keyof O]: IsAlwaysSet<O[K]> extends true ? ValueOf<O[K]> : ValueOf<O[K]> | undefined;
};

export interface ParsedCommand<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
  /** The options given on the command line (not filled in from a default). */
  given: ReadonlySet<keyof O & string>;
}

export type CommandRun<O extends OptionSpecs> = (parsed: ParsedCommand<O>) => Promise<number>;

export interface CommandDefinition {
  /** `academy:create`; a subcommand's is its action alone (`rotate`). */
  name: string;
  /** One line, for the list of commands. */
  summary: string;
  /** More, when one line does not say when and how to use it. */
  description?: string;
  arguments?: readonly ArgumentSpec[];
  options: OptionSpecs;
  /** Whole command lines, the first one the commonest use. */
  examples: readonly [string, ...string[]];
  /** The code that runs it (a leaf), loaded only when it runs. */
  load?: () => Promise<CommandRun<OptionSpecs>>;
  /** Actions of a command that does several things (`academy:livekit-key set|rotate|...`). */
  subcommands?: readonly CommandDefinition[];
}

/** `as const` options with their types checked: the literal types give the parsed values theirs. */
export const defineOptions = <const O extends OptionSpecs>(options: O): O => options;

/**
 * A command whose code is typed by its own options. The one cast: parseCommandArgs produces exactly
 * the values the options describe, which the type system cannot follow through a Record.
 */
export function defineCommand<O extends OptionSpecs>(
  definition: Omit<CommandDefinition, "options" | "load" | "subcommands"> & {
    options: O;
    load: () => Promise<CommandRun<O>>;
  },
): CommandDefinition {
  return definition as unknown as CommandDefinition;
}

/** A command made of actions, each a command of its own (with its own options and help). */
export function defineCommandGroup(
  definition: Omit<CommandDefinition, "options" | "load" | "arguments"> & { subcommands: readonly CommandDefinition[] },
): CommandDefinition {
  return { ...definition, options: {} };
}

export const HELP_FLAGS = ["--help", "-h"] as const;

/** Whether the arguments ask for help: `--help` or `-h` anywhere before a `--`. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => (HELP_FLAGS as readonly string[]).includes(arg));
}

/**
 * Parses a command's arguments by its definition, or throws a UsageError that says exactly what is
 * wrong: an unknown option with the nearest known one, a missing value, a value out of range, and
 * only the required options that are missing.
 */
export function parseCommandArgs(command: CommandDefinition, argv: string[]): ParsedCommand<OptionSpecs> {
  const specs = command.options;
  const names = Object.keys(specs);
  // Not strict: unknown options come back as tokens, to be answered with a suggestion.
  const { tokens } = parseArgs({
    args: argv,
    options: Object.fromEntries(
      names.map((name) => [
        name,
        { type: specs[name]!.type === "boolean" ? ("boolean" as const) : ("string" as const) },
      ]),
    ),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const raw: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const spec = specs[token.name];
    if (!spec) {
      const hint = names.length
        ? didYouMean(token.name, names, (name) => `--${name}`)
        : ` ${command.name} takes no options.`;
      throw new UsageError(`Unknown option ${token.rawName}.${hint}`);
    }
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`--${token.name} takes no value`);
      raw[token.name] = true;
      continue;
    }
    // A value taken from the next argument that looks like an option means the value was left out.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))
      throw new UsageError(`--${token.name} needs a value: ${optionTerm(token.name, spec)}`);
    raw[token.name] = token.value;
  }

  const accepted = command.arguments ?? [];
  const maxPositionals = accepted.some((argument) => argument.isVariadic) ? Infinity : accepted.length;
  if (positionals.length > maxPositionals) {
    const extra = positionals.slice(maxPositionals).map((value) => JSON.stringify(value));
    throw new UsageError(
      `unexpected argument${extra.length > 1 ? "s" : ""} ${joinWords(extra)}${maxPositionals === 0 ? ": it takes options only" : ""}`,
    );
  }

  const missing = [
    ...accepted
      .filter((argument, index) => argument.isRequired && positionals.length <= index)
      .map((argument) => `<${argument.name}>`),
    ...names.filter((name) => specs[name]!.isRequired && raw[name] === undefined).map((name) => `--${name}`),
  ];
  if (missing.length) throw new UsageError(`${joinWords(missing)} ${missing.length > 1 ? "are" : "is"} required`);

  const values: Record<string, string | number | boolean | undefined> = {};
  for (const name of names) {
    const spec = specs[name]!;
    const given = raw[name];
    if (spec.type === "boolean") values[name] = given === true;
    else if (given === undefined) values[name] = spec.default;
    else if (spec.type === "integer") values[name] = toInteger(name, spec, given as string);
    else {
      if (spec.choices && !spec.choices.includes(given as string)) {
        throw new UsageError(
          `--${name} must be ${joinWords(spec.choices, "or")}, not ${JSON.stringify(given)}.${didYouMean(given as string, spec.choices)}`,
        );
      }
      values[name] = given;
    }
  }
  return { values, positionals, given: new Set(Object.keys(raw)) };
}

function toInteger(name: string, spec: IntegerOption, given: string): number {
  const value = /^-?\d+$/.test(given.trim()) ? Number(given) : NaN;
  if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max)
    throw new UsageError(
      `--${name} must be a whole number from ${spec.min} to ${spec.max}, not ${JSON.stringify(given)}`,
    );
  return value;
}
