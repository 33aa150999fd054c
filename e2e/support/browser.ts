import { expect, type Browser, type Page } from "@playwright/test";

/** Signs a dashboard user in through the sign-in form, in a fresh browser context. */
export async function signIn(browser: Browser, user: { email: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sessions$/);
  return page;
}

/** RFC 4180 records of a CSV text (quoted fields, doubled quotes, CRLF), as the exports write them. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The rows of a CSV text as objects keyed by its header. */
export function parseCsvRows(text: string): Record<string, string>[] {
  const [columns, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(row.map((cell, i) => [columns![i]!, cell])));
}
