import "server-only";
import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { SCRAM_MECHANISM, ScramExchange, scramVerifier, type ScramVerifier } from "./scram.ts";

// PGlite on the PostgreSQL wire protocol, for several client connections at once.
//
// PGlite is one PostgreSQL backend, so clients must take turns. @electric-sql/pglite-socket 0.2.17
// takes turns per *message*: outside a transaction it interleaves one client's Parse/Bind/Execute
// with another's, and their unnamed statements and portals clobber each other ("portal does not
// exist", results delivered to the wrong query). This server takes turns per *message group* (up
// to Sync or a simple Query), and while a client is inside a transaction, only that client runs.
//
// Because of that, the server also guards the one backend: a client must authenticate with the
// password (SCRAM-SHA-256, as PostgreSQL does) before any of its messages reach PGlite, and a client
// that leaves a transaction idle longer than the timeout is cut off as PostgreSQL's
// idle_in_transaction_session_timeout would (FATAL 25P03, rolled back), so it cannot stall the rest.

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Messages after which a client waits for answers: Sync, Query, Flush, CopyDone, CopyFail. */
const GROUP_END = new Set(["S", "Q", "H", "c", "f"].map((c) => c.charCodeAt(0)));
const TERMINATE = "X".charCodeAt(0);
const QUERY = "Q".charCodeAt(0);
const NOTIFICATION_RESPONSE = "A".charCodeAt(0);
/** Sync (ending any extended-protocol sequence), then the simple Query ROLLBACK. */
const SYNC_ROLLBACK = [
  new Uint8Array([0x53, 0, 0, 0, 4]),
  new Uint8Array(Buffer.concat([Buffer.from([0x51, 0, 0, 0, 13]), Buffer.from("ROLLBACK\0", "latin1")])),
];
/** PasswordMessage, SASLInitialResponse and SASLResponse share this type byte. */
const PASSWORD_MESSAGE = "p".charCodeAt(0);
/** Before authentication a client may send only small messages (PostgreSQL's own startup limit). */
const MAX_UNAUTHENTICATED_MESSAGE = 10_000;
/** A client that has not authenticated by then is disconnected (PostgreSQL's authentication_timeout is 60 s). */
const AUTHENTICATION_TIMEOUT_MS = 30_000;
const LISTEN_STATEMENT = /^\s*(UN)?LISTEN\s+"?([A-Za-z_][A-Za-z0-9_$]*|\*)"?\s*;?\s*$/i;

interface Turn {
  client: Client;
  messages: Uint8Array[];
  done: () => void;
}

function backendMessage(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}
const int32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};
const cstring = (text: string) => Buffer.from(`${text}\0`, "utf8");

/** An ErrorResponse of severity FATAL, after which the server closes the connection. */
export function fatalError(code: string, text: string, detail?: string): Buffer {
  const fields = [cstring("SFATAL"), cstring("VFATAL"), cstring(`C${code}`), cstring(`M${text}`)];
  if (detail) fields.push(cstring(`D${detail}`));
  return backendMessage("E", ...fields, Buffer.from([0]));
}

/** The startup packet's parameters (user, database, application_name, ...). */
function startupParameters(packet: Buffer): Map<string, string> {
  const parts = packet.subarray(8).toString("utf8").split("\0");
  const parameters = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length && parts[i]; i += 2) parameters.set(parts[i]!, parts[i + 1]!);
  return parameters;
}

type Phase = "startup" | "sasl-initial" | "sasl-final" | "ready";

class Client {
  private buffer = Buffer.alloc(0);
  private phase: Phase = "startup";
  private startup: Uint8Array | null = null;
  private user = "";
  private scram: ScramExchange | null = null;
  private readonly authTimer: NodeJS.Timeout;
  private pending: Uint8Array[] = [];
  private chain: Promise<void> = Promise.resolve();
  closed = false;
  /** Channels this client has LISTENed to: notifications are routed to it, not to whoever ran. */
  readonly listening = new Set<string>();

  constructor(
    readonly socket: net.Socket,
    private readonly server: PGliteWireServer,
  ) {
    socket.setNoDelay(true);
    this.authTimer = setTimeout(() => socket.destroy(), AUTHENTICATION_TIMEOUT_MS);
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.chain = this.chain
        .then(() => this.drain())
        .catch(() => {
          socket.destroy();
        });
    });
    socket.on("close", () => {
      this.closed = true;
      clearTimeout(this.authTimer);
      void server.release(this);
    });
    socket.on("error", () => socket.destroy());
  }

  write(data: Uint8Array) {
    if (!this.closed && data.length) this.socket.write(data);
  }

  /** Ends the session with a FATAL error, as PostgreSQL does, and frees the backend at once. */
  terminate(code: string, text: string, detail?: string) {
    if (this.closed) return;
    this.socket.end(fatalError(code, text, detail), () => this.socket.destroy());
    this.closed = true;
    this.buffer = Buffer.alloc(0);
    void this.server.release(this);
  }

  private trackListen(message: Uint8Array) {
    const text = Buffer.from(message.buffer, message.byteOffset + 5, Math.max(0, message.length - 6)).toString("utf8");
    const match = LISTEN_STATEMENT.exec(text);
    if (!match) return;
    const channel = match[2]!;
    if (!match[1]) this.listening.add(channel);
    else if (channel === "*") this.listening.clear();
    else this.listening.delete(channel);
  }

  /** A SASL message from the client during authentication; nothing reaches PGlite before it succeeds. */
  private authenticate(type: number, body: Buffer): "refused" | "continue" | "authenticated" {
    const refuse = () => {
      this.terminate("28P01", `password authentication failed for user "${this.user}"`);
      return "refused" as const;
    };
    if (type !== PASSWORD_MESSAGE) {
      this.terminate("08P01", `expected SASL response, got message type ${type}`);
      return "refused";
    }
    if (this.phase === "sasl-initial") {
      const nameEnd = body.indexOf(0);
      if (nameEnd < 0 || body.length < nameEnd + 5) return refuse();
      if (body.subarray(0, nameEnd).toString("latin1") !== SCRAM_MECHANISM) {
        this.terminate("08P01", "client selected an invalid SASL authentication mechanism");
        return "refused";
      }
      const dataLength = body.readInt32BE(nameEnd + 1);
      const data = body.subarray(nameEnd + 5);
      if (dataLength !== data.length) return refuse();
      this.scram = new ScramExchange(this.server.verifier);
      const serverFirst = this.scram.start(data.toString("utf8"));
      if (!serverFirst) return refuse();
      this.socket.write(backendMessage("R", int32(11), Buffer.from(serverFirst, "utf8")));
      this.phase = "sasl-final";
      return "continue";
    }
    const serverFinal = this.scram?.finish(body.toString("utf8"));
    // One password for one role: the URL's user. Any other user is refused like a wrong password.
    if (!serverFinal || this.user !== this.server.user) return refuse();
    this.socket.write(backendMessage("R", int32(12), Buffer.from(serverFinal, "utf8")));
    this.phase = "ready";
    this.scram = null;
    clearTimeout(this.authTimer);
    return "authenticated";
  }

  private async drain() {
    while (!this.closed) {
      if (this.phase === "startup") {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.buffer = this.buffer.subarray(8);
          this.socket.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST || length < 8 || length > MAX_UNAUTHENTICATED_MESSAGE) {
          this.socket.destroy();
          return;
        }
        if (this.buffer.length < length) return;
        const startup = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        this.startup = new Uint8Array(startup);
        this.user = startupParameters(startup).get("user") ?? "";
        // AuthenticationSASL: the mechanisms offered, each NUL-terminated, then an empty one.
        this.socket.write(backendMessage("R", int32(10), cstring(SCRAM_MECHANISM), Buffer.from([0])));
        this.phase = "sasl-initial";
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (length < 4 || (this.phase !== "ready" && length > MAX_UNAUTHENTICATED_MESSAGE)) {
        this.socket.destroy();
        return;
      }
      const total = 1 + length;
      if (this.buffer.length < total) return;
      const type = this.buffer[0]!;
      if (this.phase !== "ready") {
        const body = Buffer.from(this.buffer.subarray(5, total));
        this.buffer = this.buffer.subarray(total);
        const step = this.authenticate(type, body);
        if (step === "refused") return;
        // Authenticated: PGlite answers the startup packet (AuthenticationOk, parameters, ReadyForQuery).
        if (step === "authenticated") await this.server.take(this, [this.startup!]);
        continue;
      }
      const message = new Uint8Array(this.buffer.subarray(0, total));
      this.buffer = this.buffer.subarray(total);
      if (type === TERMINATE) {
        this.socket.end();
        return;
      }
      if (type === QUERY) this.trackListen(message);
      this.pending.push(message);
      if (GROUP_END.has(type)) {
        const group = this.pending;
        this.pending = [];
        await this.server.take(this, group);
      }
    }
  }
}

export interface PGliteWireServerOptions {
  /** The one role clients may connect as (PGlite has a single backend; it runs as postgres). */
  user?: string;
  /** The password clients must prove with SCRAM-SHA-256. */
  password: string;
  /** A client whose transaction stays idle this long is disconnected and its transaction rolled back. */
  idleInTransactionTimeoutMs: number;
}

export class PGliteWireServer {
  private readonly queue: Turn[] = [];
  private running = false;
  private owner: Client | null = null;
  private readonly clients = new Set<Client>();
  private server: net.Server | null = null;
  private stopped = false;
  private idleTimer: NodeJS.Timeout | null = null;
  readonly user: string;
  readonly verifier: ScramVerifier;
  private readonly idleInTransactionTimeoutMs: number;

  constructor(
    private readonly db: PGlite,
    { user = "postgres", password, idleInTransactionTimeoutMs }: PGliteWireServerOptions,
  ) {
    if (!password) throw new Error("The embedded database's wire server needs a password");
    this.user = user;
    this.verifier = scramVerifier(password);
    this.idleInTransactionTimeoutMs = idleInTransactionTimeoutMs;
  }

  /** Listens on loopback only: the embedded database is never reachable from another machine. */
  async start(port: number): Promise<void> {
    this.server = net.createServer((socket) => this.clients.add(new Client(socket, this)));
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, "127.0.0.1", () => resolve());
    });
  }

  async stop(): Promise<void> {
    // From here on the database is closing: clients going away must not touch it.
    this.stopped = true;
    this.clearIdleTimer();
    for (const client of this.clients) client.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Runs a client's message group when it is that client's turn. */
  take(client: Client, messages: Uint8Array[]): Promise<void> {
    if (client === this.owner) this.clearIdleTimer();
    return new Promise((done) => {
      this.queue.push({ client, messages, done });
      void this.run();
    });
  }

  /** A client went away: if it left a transaction open, roll it back so the others can go on. */
  async release(client: Client): Promise<void> {
    this.clients.delete(client);
    if (this.stopped) return;
    for (let i = this.queue.length - 1; i >= 0; i--)
      if (this.queue[i]!.client === client) this.queue.splice(i, 1)[0]!.done();
    await this.endTransactionOf(client);
    void this.run();
  }

  /** Rolls back the transaction a departed client left open, if it is the one holding the backend. */
  private async endTransactionOf(client: Client): Promise<void> {
    // Checked inside the exclusive section: ownership changes only there, so this runs at most once.
    await this.db.runExclusive(async () => {
      if (this.owner !== client) return;
      // On the protocol, as the clients' own messages run: db.exec() would wait for the exclusive
      // section this runs in, and never return.
      if (this.db.isInTransaction())
        for (const message of SYNC_ROLLBACK)
          await this.db.execProtocolRawStream(message, { onRawData: () => undefined });
      this.owner = null;
      this.clearIdleTimer();
    });
  }

  private clearIdleTimer() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** The client holding an open transaction has nothing to run: give it the timeout, then cut it off. */
  private watchIdleTransaction() {
    const owner = this.owner;
    const idle = () =>
      owner !== null &&
      owner === this.owner &&
      !this.running &&
      !this.stopped &&
      this.db.isInTransaction() &&
      !this.queue.some((turn) => turn.client === owner);
    if (this.idleTimer || !idle()) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!idle()) return;
      const seconds = this.idleInTransactionTimeoutMs / 1000;
      owner!.terminate(
        "25P03",
        "terminating connection due to idle-in-transaction timeout",
        `The embedded database serves one transaction at a time; one left idle for more than ${seconds} s is rolled back so that it cannot stall the other connections (ROLLCALL_EMBEDDED_DB_IDLE_TRANSACTION_SECONDS).`,
      );
    }, this.idleInTransactionTimeoutMs);
  }

  private async run(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      while (this.queue.length) {
        const inTransaction = this.db.isInTransaction() && this.owner !== null;
        const index = inTransaction ? this.queue.findIndex((turn) => turn.client === this.owner) : 0;
        if (index === -1) return; // the transaction's client has not sent its next group yet
        const turn = this.queue.splice(index, 1)[0]!;
        try {
          const output = new OutputRouter(turn.client, this.clients);
          await this.db.runExclusive(async () => {
            for (const message of turn.messages) {
              await this.db.execProtocolRawStream(message, { onRawData: (data) => output.push(data) });
            }
            this.owner = turn.client;
          });
          output.end();
        } catch {
          turn.client.socket.destroy();
          this.owner = turn.client;
        }
        turn.done();
        // A client that went away during its own turn may have left a transaction open.
        if (turn.client.closed) await this.endTransactionOf(turn.client);
      }
    } finally {
      this.running = false;
      this.watchIdleTransaction();
    }
  }
}

/**
 * Splits one turn's output into protocol messages. PGlite is a single backend, so a NOTIFY
 * committed by one client comes out in that client's output; it belongs to the clients that
 * LISTENed to its channel (which is how the app's live views hear of changes in embedded mode).
 */
class OutputRouter {
  private carry: Buffer | null = null;

  constructor(
    private readonly client: Client,
    private readonly clients: Set<Client>,
  ) {}

  push(data: Uint8Array) {
    const buffer = this.carry
      ? Buffer.concat([this.carry, data])
      : Buffer.from(data.buffer, data.byteOffset, data.length);
    this.carry = null;
    let start = 0;
    let offset = 0;
    while (buffer.length - offset >= 5) {
      const total = 1 + buffer.readInt32BE(offset + 1);
      if (buffer.length - offset < total) break;
      if (buffer[offset] === NOTIFICATION_RESPONSE) {
        if (offset > start) this.client.write(buffer.subarray(start, offset));
        this.route(Buffer.from(buffer.subarray(offset, offset + total)));
        start = offset + total;
      }
      offset += total;
    }
    if (offset > start) this.client.write(buffer.subarray(start, offset));
    if (offset < buffer.length) this.carry = Buffer.from(buffer.subarray(offset));
  }

  end() {
    if (this.carry) this.client.write(this.carry);
    this.carry = null;
  }

  private route(message: Buffer) {
    const channelEnd = message.indexOf(0, 9);
    const channel = message.subarray(9, channelEnd).toString("utf8");
    for (const client of this.clients) if (client.listening.has(channel)) client.write(message);
  }
}
