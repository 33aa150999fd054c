import { defineCommand, defineOptions } from "../define-command.ts";
import { ACADEMY_OPTION } from "./shared.ts";

export const USER_CREATE_OPTIONS = defineOptions({
  academy: ACADEMY_OPTION,
  email: { type: "string", value: "email", description: "what they sign in with", isRequired: true },
  name: { type: "string", value: "name", description: "their name, as reports show it", isRequired: true },
  role: {
    type: "string",
    choices: ["teacher", "admin"],
    description: "a teacher sees their own classes; an admin sees the whole academy",
    default: "teacher",
  },
  "external-id": {
    type: "string",
    value: "LMS id",
    description: "their id in your LMS, to link the sign-in to the person the API created",
    defaultText: "user:<email>",
  },
  password: {
    type: "string",
    value: "password",
    description: "their first password",
    defaultText: "a random one, printed",
  },
});

export const userCreate = defineCommand({
  name: "user:create",
  summary: "create a dashboard sign-in for a teacher or an admin of an academy",
  options: USER_CREATE_OPTIONS,
  examples: [
    'rollcall user:create --academy al-noor --email khadija@al-noor.example --name "Ustadha Khadija" --external-id t-17',
  ],
  load: () => import("../commands/user.ts").then((module) => module.userCreate),
});

export const USER_LIST_OPTIONS = defineOptions({ academy: ACADEMY_OPTION });

export const userList = defineCommand({
  name: "user:list",
  summary: "list an academy's dashboard sign-ins: role, name, email, external id",
  options: USER_LIST_OPTIONS,
  examples: ["rollcall user:list --academy al-noor"],
  load: () => import("../commands/user.ts").then((module) => module.userList),
});
