import type pg from "pg";

// COPY … FROM STDIN over a pg client, without a dependency (pg-copy-streams is not installed): a
// query object pg submits like its own (the "submittable" interface), which answers the server's
// CopyInResponse with the data in a few CopyData messages, then CopyDone.

const CHUNK_BYTES = 256 * 1024;

class CopyFromQuery {
  callback: ((error: Error | null, rowCount?: number) => void) | undefined;
  private error: Error | null = null;
  private rowCount = 0;

  constructor(
    readonly text: string,
    private readonly data: readonly Buffer[],
  ) {}

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void }): void {
    for (const bytes of this.data) {
      for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
        connection.sendCopyFromChunk(bytes.subarray(at, at + CHUNK_BYTES));
      }
    }
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text: string }): void {
    this.rowCount = Number(message.text.split(" ").pop()) || 0;
  }

  handleError(error: Error): void {
    this.error = error;
  }

  handleReadyForQuery(): void {
    this.callback?.(this.error, this.rowCount);
  }

  // Not sent in answer to COPY FROM; present because pg may call them on any active query.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/**
 * Runs `COPY … FROM STDIN` (text format) with `data` as its input: UTF-8 chunks in order (a chunk
 * may end mid-row); resolves to the rows copied.
 */
export function copyFrom(client: pg.PoolClient, text: string, data: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const query = new CopyFromQuery(text, data);
    query.callback = (error, rowCount) => (error ? reject(error) : resolve(rowCount ?? 0));
    (client as unknown as { query(query: CopyFromQuery): void }).query(query);
  });
}

/** One value as COPY's text format writes it: \N for null, backslash escapes for the rest. */
export function copyText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value !== "string") return String(value);
  return /[\\\n\r\t]/.test(value)
    ? value.replace(/[\\\n\r\t]/g, (c) => (c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t"))
    : value;
}
