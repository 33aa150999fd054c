import Link from "next/link";

/**
 * The links of a list paged by a cursor (lib/paging/keyset-cursor.ts): back to the first page,
 * from a later one, and on to the next page when there is one. Nothing when there is neither.
 * `href` is the list's address with its filters and without the cursor, which goes in `param`.
 */
export function CursorLinks({
  label,
  href,
  isLaterPage,
  nextCursor,
  firstText,
  nextText,
  param = "after",
  hash = "",
}: {
  label: string;
  href: string;
  isLaterPage: boolean;
  /** The next page's cursor (an `after` or a `before`, as `param` says), null on the last page. */
  nextCursor: string | null;
  firstText: string;
  nextText: string;
  param?: "after" | "before";
  /** Where on the page each link lands, e.g. "#applications-heading". */
  hash?: string;
}) {
  if (!isLaterPage && !nextCursor) return null;
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap gap-4 text-sm">
      {isLaterPage ? (
        <Link href={`${href}${hash}`} className="text-indigo-800 underline">
          {firstText}
        </Link>
      ) : null}
      {nextCursor ? (
        <Link
          href={`${href}${href.includes("?") ? "&" : "?"}${new URLSearchParams({ [param]: nextCursor })}${hash}`}
          className="text-indigo-800 underline"
        >
          {nextText}
        </Link>
      ) : null}
    </nav>
  );
}
