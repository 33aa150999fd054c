// The session types, in the order every list, form, table and stored policy shows them. A leaf
// module (no I/O, no schema library), so the dashboard's client components, the API's schemas and
// the CLI's definitions all take the one list.
import type { SessionType } from "../attendance/index.ts";

export const SESSION_TYPES = ["quran", "academic", "interactive"] as const satisfies readonly SessionType[];
