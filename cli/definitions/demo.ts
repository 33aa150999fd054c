import { defineCommand, defineOptions } from "../define-command.ts";

export const DEMO_OPTIONS = defineOptions({
  url: {
    type: "string",
    value: "url",
    description: "the running Rollcall server to send the classes to",
    default: "http://127.0.0.1:3000",
  },
  "live-seconds": {
    type: "integer",
    value: "seconds",
    description: "how long the live class keeps changing (0: not at all)",
    default: 60,
    min: 0,
    max: 3600,
  },
  seed: {
    type: "integer",
    value: "n",
    description: "the seed of the random classes, to replay the same ones",
    defaultText: "from the clock",
    min: 0,
    max: 2 ** 31 - 1,
  },
});

export const demo = defineCommand({
  name: "demo",
  summary: "replay demo classes on a running server: ended, live and upcoming",
  description:
    "Two classes that ended, one live now that keeps changing for --live-seconds, and one tomorrow. Creates the demo academy, its classes through the API and their webhooks, signed as LiveKit signs them, and prints the dashboard's demo sign-ins.",
  options: DEMO_OPTIONS,
  examples: ["rollcall demo --url http://127.0.0.1:3000 --live-seconds 0"],
  load: () => import("../commands/demo.ts").then((module) => module.demo),
});
