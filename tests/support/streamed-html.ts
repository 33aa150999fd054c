/**
 * A server-rendered page as the browser assembles it. React streams parts of a page after the shell:
 * a placeholder (`<template id="P:1">`, or `B:0` for a Suspense boundary such as loading.tsx) where
 * the part belongs, the part later in a hidden element with the id `S:1` (a `<div hidden>`, or inside
 * a table a `<table hidden><tr id="S:1">`), and a script that moves it in. This does the moving, so a
 * test can read a table as one piece of HTML, without a browser.
 */
export function assembleStreamedHtml(html: string): string {
  const segments = new Map<string, string>();
  let out = html;
  for (;;) {
    const open = /(<table hidden>)?<(\w+)(?: hidden)? id="(S:[^"]+)">/.exec(out);
    if (!open) break;
    const [, table, name, id] = open as unknown as [string, string | undefined, string, string];
    const tags = new RegExp(`<${name}\\b|</${name}>`, "g");
    tags.lastIndex = open.index + open[0].length;
    let depth = 1;
    let tag: RegExpExecArray | null = null;
    while (depth > 0 && (tag = tags.exec(out))) depth += tag[0] === `</${name}>` ? -1 : 1;
    if (!tag) throw new Error(`segment ${id} is not closed`);
    segments.set(id, out.slice(open.index + open[0].length, tag.index));
    let end = tag.index + tag[0].length;
    if (table && out.startsWith("</table>", end)) end += "</table>".length;
    out = out.slice(0, open.index) + out.slice(end);
  }
  // Boundaries name their segment in the completing script: $RC("B:0","S:0").
  const boundaries = new Map([...html.matchAll(/\$RC\("([^"]+)","([^"]+)"\)/g)].map((m) => [m[1]!, m[2]!]));
  for (let changed = true; changed;) {
    changed = false;
    out = out.replace(/<template id="([PB]:[^"]+)"><\/template>/g, (template, id: string) => {
      const segment = segments.get(id.startsWith("P:") ? `S:${id.slice(2)}` : (boundaries.get(id) ?? ""));
      if (segment === undefined) return template;
      changed = true;
      return segment;
    });
  }
  if (/<template id="P:/.test(out)) throw new Error("a streamed part of the page was not found");
  return out;
}
