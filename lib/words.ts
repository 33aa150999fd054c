// Words the dashboard and the exports share: counts of things, percentages, names in order. Pure
// and framework-free, so pages (server and client) and files say them the same way.

const SIBILANT = /(s|x|z|ch|sh)$/;
const CONSONANT_Y = /[^aeiou]y$/;
const NUMBER = new Intl.NumberFormat("en-GB");

/**
 * A count and its noun, singular for exactly one: "1 student", "2 students", "0 classes",
 * "3 entries", "1,200 sessions". English's regular plural; an irregular noun gives its own.
 */
export function plural(count: number, singular: string, pluralForm?: string): string {
  if (count === 1) return `${NUMBER.format(count)} ${singular}`;
  const many =
    pluralForm ??
    (SIBILANT.test(singular)
      ? `${singular}es`
      : CONSONANT_Y.test(singular)
        ? `${singular.slice(0, -1)}ies`
        : `${singular}s`);
  return `${NUMBER.format(count)} ${many}`;
}

/** A no-break space: "100 %" never splits over two lines. */
export const NBSP = "\u00a0";

/** A percentage as the pages show it, with a no-break space before the sign: "67 %", "66.7 %"; "—" for none. */
export function formatPercent(value: number | null | undefined, fractionDigits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${value.toFixed(fractionDigits)}${NBSP}%`;
}

// One collation for every ordering of names, the same on the server, in the browser and in every test.
const collator = new Intl.Collator("en", { sensitivity: "variant" });

/** Names in reading order ("Aisha" < "aisha" < "Omar" < "Zoë"), then by code unit so no two differ and compare equal. */
export const compareText = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
