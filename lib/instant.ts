import { z } from "zod";

const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

/**
 * A moment in an ISO 8601 date-time with a time zone, within 2000–2099: classes are scheduled in
 * this century, and a year 0 or 9999 can only be a mistake (and would not fit the database anyway).
 */
export const ZInstantSchema = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-11-25T10:00:00Z" })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() >= EARLIEST && date.getTime() < LATEST, {
    message: "must be between 2000-01-01 and 2099-12-31",
  });
