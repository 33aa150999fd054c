import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

// PGlite on the PostgreSQL wire protocol, for several client connections at once.
//
// PGlite is one PostgreSQL backend, so clients must take turns. @electric-sql/pglite-socket 0.2.17
// takes turns per *message*: outside a transaction it interleaves one client's Parse/Bind/Execute
// with another's, and their unnamed statements and portals clobber each other ("portal does not
// exist", results delivered to the wrong query). This server takes turns per *message group* (up
// to Sync or a simple Query), and while a client is inside a transaction, only that client runs.

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Messages after which a client waits for answers: Sync, Query, Flush, CopyDone, CopyFail. */
const GROUP_END = new Set(["S", "Q", "H", "c", "f"].map((c) => c.charCodeAt(0)));
const TERMINATE = "X".charCodeAt(0);
const QUERY = "Q".charCodeAt(0);
const NOTIFICATION_RESPONSE = "A".charCodeAt(0);
/** Sync (ending any extended-protocol sequence), then the simple Query ROLLBACK. */
const SYNC_ROLLBACK = [new Uint8Array([0x53, 0, 0, 0, 4]), new Uint8Array(Buffer.concat([Buffer.from([0x51, 0, 0, 0, 13]), Buffer.from("ROLLBACK\0", "latin1")]))];
const LISTEN_STATEMENT = /^\s*(UN)?LISTEN\s+"?([A-Za-z_][A-Za-z0-9_$]*|\*)"?\s*;?\s*$/i;

interface Turn {
  client: Client;
  messages: Uint8Array[];
  done: () => void;
}

class Client {
  private buffer = Buffer.alloc(0);
  private started = false;
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
      void server.release(this);
    });
    socket.on("error", () => socket.destroy());
  }

  write(data: Uint8Array) {
    if (!this.closed && data.length) this.socket.write(data);
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

  private async drain() {
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.buffer = this.buffer.subarray(8);
          this.socket.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.destroy();
          return;
        }
        if (this.buffer.length < length) return;
        const startup = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        this.started = true;
        await this.server.take(this, [new Uint8Array(startup)]);
        continue;
      }
      if (this.buffer.length < 5) return;
      const total = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < total) return;
      const type = this.buffer[0]!;
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

export class PGliteWireServer {
  private readonly queue: Turn[] = [];
  private running = false;
  private owner: Client | null = null;
  private readonly clients = new Set<Client>();
  private server: net.Server | null = null;
  private stopped = false;

  constructor(private readonly db: PGlite) {}

  async start(port: number, host = "127.0.0.1"): Promise<void> {
    this.server = net.createServer((socket) => this.clients.add(new Client(socket, this)));
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
  }

  async stop(): Promise<void> {
    // From here on the database is closing: clients going away must not touch it.
    this.stopped = true;
    for (const client of this.clients) client.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Runs a client's message group when it is that client's turn. */
  take(client: Client, messages: Uint8Array[]): Promise<void> {
    return new Promise((done) => {
      this.queue.push({ client, messages, done });
      void this.run();
    });
  }

  /** A client went away: if it left a transaction open, roll it back so the others can go on. */
  async release(client: Client): Promise<void> {
    this.clients.delete(client);
    if (this.stopped) return;
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.client === client) this.queue.splice(i, 1)[0]!.done();
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
      if (this.db.isInTransaction()) for (const message of SYNC_ROLLBACK) await this.db.execProtocolRawStream(message, { onRawData: () => undefined });
      this.owner = null;
    });
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
    const buffer = this.carry ? Buffer.concat([this.carry, data]) : Buffer.from(data.buffer, data.byteOffset, data.length);
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
