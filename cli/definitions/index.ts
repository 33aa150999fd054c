// Every command of `rollcall`, in the groups its help lists them in.
import type { CommandDefinition } from "../define-command.ts";
import type { CommandGroup } from "../help.ts";
import { academyCreate, academyList, academyLivekitKey, apiKeyCreate, apiKeyList, apiKeyRevoke } from "./academies.ts";
import { dbMigrate, dbServe } from "./database.ts";
import { demo } from "./demo.ts";
import { policyApplications, policyApply, policyPreview, policySet, policyShow, policyVersions } from "./policy.ts";
import {
  attendanceCalculate,
  attendanceHistory,
  attendanceProvenance,
  attendanceReconcile,
  attendanceVerify,
  sessionList,
} from "./sessions.ts";
import { userCreate, userList } from "./users.ts";

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    title: "Academies and keys",
    commands: [academyCreate, academyList, academyLivekitKey, apiKeyCreate, apiKeyList, apiKeyRevoke],
  },
  { title: "Users", commands: [userCreate, userList] },
  {
    title: "Sessions and attendance",
    commands: [
      sessionList,
      attendanceCalculate,
      attendanceReconcile,
      attendanceVerify,
      attendanceHistory,
      attendanceProvenance,
    ],
  },
  {
    title: "Attendance policy",
    commands: [policyShow, policyVersions, policyPreview, policySet, policyApply, policyApplications],
  },
  { title: "Database", commands: [dbMigrate, dbServe] },
  { title: "Demo", commands: [demo] },
];

export const COMMANDS: readonly CommandDefinition[] = COMMAND_GROUPS.flatMap((group) => group.commands);

/** Every way to run something: each command, and each action of a command that has several. */
export function commandPaths(
  commands: readonly CommandDefinition[] = COMMANDS,
): { path: string[]; command: CommandDefinition }[] {
  return commands.flatMap((command) => [
    { path: [command.name], command },
    ...(command.subcommands ?? []).map((sub) => ({ path: [command.name, sub.name], command: sub })),
  ]);
}
