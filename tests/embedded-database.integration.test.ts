import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { embeddedPasswordFile } from "../lib/db/embedded-credentials.ts";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded.ts";
import { backends } from "./support/backends.ts";

// The embedded database's port is a PostgreSQL server on this machine: it must let in only those who
// hold the password from the data folder, only on loopback, and no connection may hold its single
// backend hostage by idling inside a transaction.

const embedded = backends().find((backend) => backend.name === "embedded")!;
const port = () => Number(new URL(embedded.databaseUrl).port);
const withPassword = (url: string, password: string | null) => {
  const parsed = new URL(url);
  parsed.password = password ?? "";
  return parsed.toString();
};

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition() && Date.now() < deadline;)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

async function refusal(connectionString: string): Promise<Error & { code?: string }> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    return error as Error & { code?: string };
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error("the connection was accepted");
}

// --- a minimal PostgreSQL frontend on a raw socket, to see exactly what the server sends back ---

interface BackendMessage {
  type: string;
  body: Buffer;
}

function frontendMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

const startupPacket = (user: string) => {
  const body = Buffer.concat([Buffer.from([0, 3, 0, 0]), Buffer.from(`user\0${user}\0database\0postgres\0\0`)]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(4 + body.length);
  return Buffer.concat([length, body]);
};
const queryMessage = (sql: string) => frontendMessage("Q", Buffer.from(`${sql}\0`));
/** Password and API-key hashes, and one row in any case. */
const SECRETS =
  "SELECT password FROM auth_account UNION ALL SELECT hash FROM api_key UNION ALL SELECT current_user::text";
const saslInitial = (data: string) => {
  const bytes = Buffer.from(data);
  const length = Buffer.alloc(4);
  length.writeInt32BE(bytes.length);
  return frontendMessage("p", Buffer.concat([Buffer.from("SCRAM-SHA-256\0"), length, bytes]));
};
const errorFields = (message: BackendMessage) => {
  const fields: Record<string, string> = {};
  for (const field of message.body.toString("utf8").split("\0")) if (field) fields[field[0]!] = field.slice(1);
  return fields;
};

/** A raw connection: send bytes, read the server's messages one at a time, see when it closes. */
function rawConnection(serverPort: number) {
  const socket = net.connect({ host: "127.0.0.1", port: serverPort });
  let buffer = Buffer.alloc(0);
  let closed = false;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((resolve) => resolve());
  socket.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    wake();
  });
  socket.on("close", () => {
    closed = true;
    wake();
  });
  socket.on("error", () => undefined);
  const all: BackendMessage[] = [];
  return {
    all,
    send: (data: Buffer) => socket.write(data),
    /** The next message, or null once the server has closed the connection. */
    async next(timeoutMs = 5_000): Promise<BackendMessage | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (buffer.length >= 5 && buffer.length >= 1 + buffer.readInt32BE(1)) {
          const total = 1 + buffer.readInt32BE(1);
          const message = { type: String.fromCharCode(buffer[0]!), body: Buffer.from(buffer.subarray(5, total)) };
          buffer = buffer.subarray(total);
          all.push(message);
          return message;
        }
        if (closed) return null;
        if (Date.now() > deadline)
          throw new Error(`no message within ${timeoutMs} ms; received ${all.map((m) => m.type).join("")}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    /** Every message until the server closes the connection (or, if it does not, those of the next 5 s). */
    async rest(): Promise<BackendMessage[]> {
      try {
        while ((await this.next()) !== null);
      } catch {
        all.push({ type: "(still open)", body: Buffer.alloc(0) });
      }
      return all;
    },
    close: () => socket.destroy(),
  };
}

describe("the embedded database served by the app", () => {
  test("asks for the password from the data folder: a wrong one, none or another user is refused with 28P01", async () => {
    const password = fs.readFileSync(embeddedPasswordFile(embedded.dataDir!), "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    // The URL the tests (and the app and the CLI) use carries it, and works.
    expect(decodeURIComponent(new URL(embedded.databaseUrl).password)).toBe(password);
    const ok = new pg.Client({ connectionString: embedded.databaseUrl });
    await ok.connect();
    expect((await ok.query("SELECT current_user AS user")).rows).toEqual([{ user: "postgres" }]);
    await ok.end();

    const wrong = await refusal(withPassword(embedded.databaseUrl, "wrongpw"));
    expect(wrong.code).toBe("28P01");
    expect(wrong.message).toBe('password authentication failed for user "postgres"');
    const nobody = await refusal(withPassword(embedded.databaseUrl, "wrongpw").replace("postgres:", "nobody:"));
    expect(nobody.code).toBe("28P01");
    // The right password for a user other than the URL's is refused too.
    const otherUser = await refusal(embedded.databaseUrl.replace("postgres:", "nobody:"));
    expect(otherUser.code).toBe("28P01");
    // pg will not even start SCRAM without a password: the server asked for one.
    const none = await refusal(withPassword(embedded.databaseUrl, null));
    expect(none.message).toMatch(/SASL: .*client password must be a string/);
  });

  test("nothing is read before authentication: a query sent with the startup packet gets no rows", async () => {
    const raw = rawConnection(port());
    raw.send(Buffer.concat([startupPacket("postgres"), queryMessage(SECRETS)]));
    const messages = await raw.rest();
    expect(messages.map((message) => message.type)).toEqual(["R", "E"]);
    expect(messages[0]!.body.readInt32BE(0)).toBe(10); // AuthenticationSASL
    expect(messages[0]!.body.subarray(4).toString()).toBe("SCRAM-SHA-256\0\0");
    expect(errorFields(messages[1]!)).toMatchObject({ S: "FATAL", C: "08P01" });
  });

  test("a client without the password cannot forge the SCRAM proof; the query it sends next is never run", async () => {
    const raw = rawConnection(port());
    raw.send(startupPacket("postgres"));
    expect((await raw.next())?.type).toBe("R");
    raw.send(saslInitial("n,,n=*,r=clientnonce123"));
    const serverFirst = await raw.next();
    expect(serverFirst?.body.readInt32BE(0)).toBe(11); // AuthenticationSASLContinue
    const nonce = /r=([^,]+)/.exec(serverFirst!.body.subarray(4).toString())![1]!;
    expect(nonce.startsWith("clientnonce123")).toBe(true);
    const forged = `c=biws,r=${nonce},p=${Buffer.alloc(32, 7).toString("base64")}`;
    raw.send(Buffer.concat([frontendMessage("p", Buffer.from(forged)), queryMessage(SECRETS)]));
    const rest = (await raw.rest()).slice(2);
    expect(rest.map((message) => message.type)).toEqual(["E"]);
    expect(errorFields(rest[0]!)).toMatchObject({
      S: "FATAL",
      C: "28P01",
      M: 'password authentication failed for user "postgres"',
    });
  });

  test("the password file is readable by its owner only, and the password is in no log or shared file", () => {
    const file = embeddedPasswordFile(embedded.dataDir!);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe("600");
    const password = fs.readFileSync(file, "utf8").trim();
    expect(fs.readFileSync(path.join(embedded.dataDir!, "server.json"), "utf8")).not.toContain(password);
    const workDir = inject("workDir");
    const logs = fs.readdirSync(workDir).filter((name) => name.endsWith(".log"));
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) expect(fs.readFileSync(path.join(workDir, log), "utf8")).not.toContain(password);
  });

  test("listens on 127.0.0.1 only: the machine's other addresses refuse the connection", async () => {
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal && address.family === "IPv4")
      .map((address) => address!.address);
    for (const host of [...others, "::1"]) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host, port: port() });
        socket.setTimeout(2_000);
        socket.once("connect", () => {
          socket.destroy();
          resolve("connected");
        });
        socket.once("timeout", () => {
          socket.destroy();
          resolve("timeout");
        });
        socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      });
      expect({ host, outcome }).toEqual({
        host,
        outcome: expect.stringMatching(/^(ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH)$/),
      });
    }
    const loopback = new pg.Client({ connectionString: embedded.databaseUrl });
    await loopback.connect();
    await loopback.end();
  });

  test("a client idling in a transaction (default 5 s) is cut off and the app answers again within a second of it", async () => {
    const idle = new pg.Client({ connectionString: embedded.databaseUrl });
    const errors: (Error & { code?: string })[] = [];
    idle.on("error", (error) => errors.push(error));
    await idle.connect();
    await idle.query("BEGIN");
    await idle.query("SELECT count(*) FROM academy");
    const since = Date.now();
    // The app's health check needs the database, which the idle transaction holds.
    const health = await fetch(`${embedded.baseUrl}/api/health`);
    const waited = Date.now() - since;
    expect(health.status).toBe(200);
    expect(waited).toBeGreaterThan(4_000);
    expect(waited).toBeLessThan(6_000);
    await until(() => errors.length > 0);
    expect(errors[0]?.code).toBe("25P03");
    await idle.end().catch(() => undefined);
  });
});

describe("an embedded database started in-process with a 1 s idle-in-transaction timeout", () => {
  const TIMEOUT_MS = 1_000;
  let dataDir: string;
  let database: EmbeddedDatabase;
  let other: pg.Client;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-embedded-"));
    database = await startEmbeddedDatabase({ dataDir, port: 0, share: false, idleInTransactionTimeoutMs: TIMEOUT_MS });
    other = new pg.Client({ connectionString: database.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await database?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Resolves with the query's duration, or rejects once `limitMs` has passed without an answer. */
  async function answeredWithin(client: pg.Client, sql: string, limitMs: number): Promise<number> {
    const since = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`"${sql}" not answered within ${limitMs} ms`)), limitMs);
    });
    try {
      await Promise.race([client.query(sql), limit]);
      return Date.now() - since;
    } finally {
      clearTimeout(timer);
    }
  }

  test("generates the password file (0600) and refuses a wrong password", async () => {
    expect(database.passwordFile).toBe(embeddedPasswordFile(dataDir));
    expect((fs.statSync(database.passwordFile).mode & 0o777).toString(8)).toBe("600");
    expect(database.url).toContain(encodeURIComponent(fs.readFileSync(database.passwordFile, "utf8").trim()));
    expect(database.displayUrl).not.toContain(fs.readFileSync(database.passwordFile, "utf8").trim());
    expect((await refusal(withPassword(database.url, "wrongpw"))).code).toBe("28P01");
  });

  test("the idle transaction is ended with 25P03 and rolled back; the other client is answered within timeout + 1 s", async () => {
    const idle = new pg.Client({ connectionString: database.url });
    const errors: (Error & { code?: string })[] = [];
    idle.on("error", (error) => errors.push(error));
    await idle.connect();
    await idle.query("BEGIN");
    await idle.query("CREATE TABLE idle_probe (x int)");
    // Queued behind the idle transaction, answered once it is ended.
    const waited = await answeredWithin(other, "SELECT 1", TIMEOUT_MS + 1_000);
    expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    await until(() => errors.length > 0);
    expect(errors[0]).toMatchObject({
      code: "25P03",
      message: "terminating connection due to idle-in-transaction timeout",
    });
    expect((await other.query("SELECT to_regclass('idle_probe') AS probe")).rows).toEqual([{ probe: null }]);
    await expect(idle.query("SELECT 1")).rejects.toThrow();
    await idle.end().catch(() => undefined);
  });

  test("a transaction that keeps working is not cut off, however long it lasts in all", async () => {
    const busy = new pg.Client({ connectionString: database.url });
    await busy.connect();
    await busy.query("BEGIN");
    await busy.query("CREATE TABLE busy_probe (x int)");
    const started = Date.now();
    for (let i = 0; Date.now() - started < 2 * TIMEOUT_MS; i++) {
      await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS / 4));
      await busy.query("INSERT INTO busy_probe VALUES ($1)", [i]);
    }
    await busy.query("COMMIT");
    expect(Number((await other.query("SELECT count(*) AS n FROM busy_probe")).rows[0].n)).toBeGreaterThan(4);
    await busy.end();
  });

  test("a client that leaves in the middle of a transaction frees the backend at once", async () => {
    const leaver = new pg.Client({ connectionString: database.url });
    await leaver.connect();
    await leaver.query("BEGIN");
    await leaver.query("CREATE TABLE leaver_probe (x int)");
    await leaver.end();
    // Well before the idle timeout: the departure itself rolls the transaction back.
    await answeredWithin(other, "SELECT 1", TIMEOUT_MS / 2);
    expect((await other.query("SELECT to_regclass('leaver_probe') AS probe")).rows).toEqual([{ probe: null }]);
  });
});
