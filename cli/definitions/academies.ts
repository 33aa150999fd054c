import { defineCommand, defineCommandGroup, defineOptions } from "../define-command.ts";
import { ACADEMY_OPTION } from "./shared.ts";

export const ACADEMY_CREATE_OPTIONS = defineOptions({
  name: {
    type: "string",
    value: "name",
    description: "the academy's name, as the dashboard shows it",
    isRequired: true,
  },
  slug: {
    type: "string",
    value: "slug",
    description: "its short name in commands and sign-in: lowercase letters, digits and dashes",
    isRequired: true,
  },
  timezone: {
    type: "string",
    value: "zone",
    description: "the IANA time zone of its reports, CSV files and dates",
    default: "UTC",
  },
});

export const academyCreate = defineCommand({
  name: "academy:create",
  summary: "create an academy: a tenant with its own people, sessions and keys",
  options: ACADEMY_CREATE_OPTIONS,
  examples: ['rollcall academy:create --name "Al-Noor Academy" --slug al-noor --timezone Europe/London'],
  load: () => import("../commands/academy.ts").then((module) => module.academyCreate),
});

export const academyList = defineCommand({
  name: "academy:list",
  summary: "list the academies with their time zone, sessions and people",
  options: {},
  examples: ["rollcall academy:list"],
  load: () => import("../commands/academy.ts").then((module) => module.academyList),
});

export const LIVEKIT_KEY_GIVE_OPTIONS = defineOptions({
  academy: ACADEMY_OPTION,
  key: {
    type: "string",
    value: "API key",
    description: "the LiveKit API key; its secret is read from standard input, never from the command line",
  },
  generate: {
    type: "boolean",
    description: "make a new key and secret instead, for a self-hosted LiveKit server (printed once)",
  },
});
export const LIVEKIT_KEY_RETIRE_OPTIONS = defineOptions({
  academy: ACADEMY_OPTION,
  key: { type: "string", value: "API key", description: "the LiveKit API key to retire", isRequired: true },
});
export const LIVEKIT_KEY_SHOW_OPTIONS = defineOptions({ academy: ACADEMY_OPTION });

const SECRET_ON_STDIN =
  "Give --key with its secret on standard input (a secret on the command line would stay in the shell's history), or --generate.";

export const academyLivekitKey = defineCommandGroup({
  name: "academy:livekit-key",
  summary: "an academy's own LiveKit key: set, rotate, retire or show",
  description:
    "Webhooks signed with an academy's own key belong to that academy alone; without one, it uses the server-wide LIVEKIT_API_KEY. Changing keys is a rotation: the new key works beside the old one until the old one is retired.",
  examples: [
    'printf %s "$LIVEKIT_API_SECRET" | rollcall academy:livekit-key set --academy al-noor --key APIxK3eV9pQ2',
    "rollcall academy:livekit-key show --academy al-noor",
  ],
  subcommands: [
    defineCommand({
      name: "set",
      summary: "give the academy its first key of its own",
      description: `${SECRET_ON_STDIN} Sessions not yet started then read only webhooks signed with it.`,
      options: LIVEKIT_KEY_GIVE_OPTIONS,
      examples: [
        'printf %s "$LIVEKIT_API_SECRET" | rollcall academy:livekit-key set --academy al-noor --key APIxK3eV9pQ2',
        "rollcall academy:livekit-key set --academy al-noor --generate",
      ],
      load: () => import("../commands/livekit-key.ts").then((module) => module.livekitKeyGive("set")),
    }),
    defineCommand({
      name: "rotate",
      summary: "add a new key beside the current one (both work until the old one is retired)",
      description: SECRET_ON_STDIN,
      options: LIVEKIT_KEY_GIVE_OPTIONS,
      examples: [
        "rollcall academy:livekit-key rotate --academy al-noor --generate",
        'printf %s "$NEW_SECRET" | rollcall academy:livekit-key rotate --academy al-noor --key APInew7Hq4Lw',
      ],
      load: () => import("../commands/livekit-key.ts").then((module) => module.livekitKeyGive("rotate")),
    }),
    defineCommand({
      name: "retire",
      summary: "refuse webhooks signed with an old key from now on (never the academy's last live key)",
      options: LIVEKIT_KEY_RETIRE_OPTIONS,
      examples: ["rollcall academy:livekit-key retire --academy al-noor --key APIxK3eV9pQ2"],
      load: () => import("../commands/livekit-key.ts").then((module) => module.livekitKeyRetire),
    }),
    defineCommand({
      name: "show",
      summary: "list the academy's keys, live or retired, and their last webhook (never a secret)",
      options: LIVEKIT_KEY_SHOW_OPTIONS,
      examples: ["rollcall academy:livekit-key show --academy al-noor"],
      load: () => import("../commands/livekit-key.ts").then((module) => module.livekitKeyShow),
    }),
  ],
});

export const API_KEY_CREATE_OPTIONS = defineOptions({
  academy: ACADEMY_OPTION,
  name: {
    type: "string",
    value: "label",
    description: "a label to tell keys apart, such as the LMS that uses it",
    default: "default",
  },
});
export const API_KEY_LIST_OPTIONS = defineOptions({ academy: ACADEMY_OPTION });
export const API_KEY_REVOKE_OPTIONS = defineOptions({
  academy: ACADEMY_OPTION,
  id: { type: "string", value: "key id", description: "the key's id, from rollcall api-key:list", isRequired: true },
});

export const apiKeyCreate = defineCommand({
  name: "api-key:create",
  summary: "create a key for the academy API (printed once, kept hashed)",
  options: API_KEY_CREATE_OPTIONS,
  examples: ["rollcall api-key:create --academy al-noor --name moodle"],
  load: () => import("../commands/api-key.ts").then((module) => module.apiKeyCreate),
});

export const apiKeyList = defineCommand({
  name: "api-key:list",
  summary: "list an academy's API keys: prefix, created, last used, revoked",
  options: API_KEY_LIST_OPTIONS,
  examples: ["rollcall api-key:list --academy al-noor"],
  load: () => import("../commands/api-key.ts").then((module) => module.apiKeyList),
});

export const apiKeyRevoke = defineCommand({
  name: "api-key:revoke",
  summary: "revoke an API key: it is refused from the next request on",
  options: API_KEY_REVOKE_OPTIONS,
  examples: ["rollcall api-key:revoke --academy al-noor --id cm4k2x7d90000qz8h3b1c5e6f"],
  load: () => import("../commands/api-key.ts").then((module) => module.apiKeyRevoke),
});
