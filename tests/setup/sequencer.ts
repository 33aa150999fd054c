import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Vitest's own order, but the files that start the command line dozens of times run last. `npm test`
 * runs the browser suite beside this one; a `rollcall` process costs about 1.5 s of CPU (the Prisma
 * client's WebAssembly, mostly), and on two cores shared with Chromium those files took 1.7 times
 * as long. Run last, they mostly run after the browser suite has finished.
 */
const LAST = ["tests/cli-policy.integration.test.ts", "tests/cli.integration.test.ts"];

export default class CommandLineLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => LAST.findIndex((name) => file.moduleId.endsWith(name));
    return [
      ...sorted.filter((file) => rank(file) < 0),
      ...sorted.filter((file) => rank(file) >= 0).sort((a, b) => rank(a) - rank(b)),
    ];
  }
}
