import type { ReactNode } from "react";

/** A column heading; numbers align right. */
export interface Column {
  label: string;
  numeric?: boolean;
}

/**
 * A table inside a labelled region that scrolls sideways on its own, so the page never does; the
 * region takes focus so a keyboard can scroll it, and is positioned so screen-reader text of rows
 * scrolled out of view stays inside it. The caller gives the body's rows.
 */
export function ScrollTable({
  label,
  caption,
  columns,
  className = "",
  bodyClassName = "divide-y divide-slate-100",
  children,
}: {
  label: string;
  caption: string;
  columns: readonly Column[];
  className?: string;
  bodyClassName?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={`relative overflow-x-auto rounded-lg border border-slate-200 bg-white ${className}`}
      role="region"
      aria-label={label}
      tabIndex={0}
    >
      <table className="min-w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={`px-3 py-2 ${column.numeric ? "text-right" : ""}`}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={bodyClassName}>{children}</tbody>
      </table>
    </div>
  );
}
