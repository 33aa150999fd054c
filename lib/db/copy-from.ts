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
    for (const chunk of this.data) connection.sendCopyFromChunk(chunk);
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

/** Runs `COPY … FROM STDIN` (text format) with `data` as its input (copyChunks); resolves to the rows copied. */
export function copyFrom(client: pg.PoolClient, text: string, data: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const query = new CopyFromQuery(text, data);
    query.callback = (error, rowCount) => (error ? reject(error) : resolve(rowCount ?? 0));
    (client as unknown as { query(query: CopyFromQuery): void }).query(query);
  });
}

/**
 * COPY's input, written line by line (each already ending in "\n") into UTF-8 chunks of about
 * CHUNK_BYTES as soon as each line is made: thousands of rows never sit in the heap, as strings or
 * as the arrays they were made from, for the garbage collector to copy while a batch is calculated.
 */
export class CopyInput {
  private readonly chunks: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.used + bytes > this.chunk.length) {
      if (this.used) this.chunks.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
      this.used = 0;
    }
    this.used += this.chunk.write(line, this.used);
  }

  /** Every chunk, the last one cut to its end: once, when all the lines are written. */
  buffers(): Buffer[] {
    return this.used ? [...this.chunks, this.chunk.subarray(0, this.used)] : this.chunks;
  }

  get isEmpty(): boolean {
    return this.used === 0 && this.chunks.length === 0;
  }
}

/** COPY's input from its lines (CopyInput). */
export function copyChunks(lines: Iterable<string>): Buffer[] {
  const input = new CopyInput();
  for (const line of lines) input.write(line);
  return input.buffers();
}

/** One value as COPY's text format writes it: \N for null, backslash escapes for the rest. */
export function copyText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value !== "string") return String(value);
  return /[\\\n\r\t]/.test(value)
    ? value.replace(/[\\\n\r\t]/g, (c) => (c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t"))
    : value;
}
