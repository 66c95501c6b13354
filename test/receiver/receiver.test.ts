// examples/receiver over real HTTP on 127.0.0.1: deliveries from the emulator for channels made
// through the Zoho client, and requests no Zoho would send.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { DEMO_CREDENTIALS } from "../../emulator";
import { startReceiver, type RunningReceiver } from "../../examples/receiver/receiver";
import type { NotificationRejection, ZohoNotification } from "../../provider/receiver/verify-notification";
import { ZohoWatchClient } from "../../provider/client";
import { startTestEmulator } from "../../harness/emulator";

const CHANNEL = "1105420521999070702";
const TOKEN = "tok-receiver-3b9e71";
const RECORD = "5725767000003000064";

/** A promise with its resolve function, to hold a handler open or wait for a call. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("examples/receiver: startReceiver over real HTTP", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let client: ZohoWatchClient;
  let receiver: RunningReceiver | undefined;
  let notifications: ZohoNotification[];
  let rejections: NotificationRejection[];

  /** (Re)subscribes the expected channel to Deals, pointing at `url`, with `token`. */
  async function subscribe(
    url: string,
    token: string | undefined = TOKEN,
    channelId = CHANNEL,
  ): Promise<void> {
    const [outcome] = await client.enable({
      channelId,
      events: ["Deals.all"],
      notifyUrl: `${url}/zoho?key=k-31337`,
      ...(token === undefined ? {} : { token }),
      returnAffectedFieldValues: true,
    });
    assert.equal(outcome?.ok, true, JSON.stringify(outcome));
  }

  const dealEdited = () =>
    emulator.simulateRecordChange({
      module: "Deals",
      operation: "edit",
      ids: [RECORD],
      values: { [RECORD]: { Stage: "Closed Won" } },
    });

  before(async () => {
    emulator = await startTestEmulator();
    client = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
    });
  });
  beforeEach(async () => {
    await emulator.reset();
    notifications = [];
    rejections = [];
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });
  after(async () => {
    await client?.close();
    await emulator?.close();
  });

  it("verifies a delivery from the emulator and answers 204 before the handler has finished", async () => {
    const handlerMayFinish = deferred();
    const handlerStarted = deferred<ZohoNotification>();
    receiver = await startReceiver({
      expected: { channelId: CHANNEL, token: TOKEN },
      onNotification: async (n) => {
        handlerStarted.resolve(n);
        await handlerMayFinish.promise;
      },
    });
    assert.match(receiver.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await subscribe(receiver.url);

    // simulateRecordChange resolves once the receiver answered, while the handler is still held open.
    const [delivery] = await dealEdited();
    assert.equal(delivery?.status, 204);
    assert.equal(delivery?.delivered, true);
    const n = await handlerStarted.promise;
    handlerMayFinish.resolve();
    assert.equal(n.channelId, CHANNEL);
    assert.equal(n.operation, "update");
    assert.equal(n.module, "Deals");
    assert.deepEqual(n.ids, [RECORD]);
    assert.deepEqual(n.queryParams, { key: "k-31337" });
    assert.deepEqual(n.affectedFields, [{ recordId: RECORD, fields: ["Stage"] }]);
    assert.deepEqual(n.affectedValues, [{ recordId: RECORD, values: { Stage: "Closed Won" } }]);
    assert.equal(n.serverDate.toISOString(), delivery?.at);
  });

  it("answers 401 to a channel it does not expect, to a wrong token and to a cleared token, without calling the handler", async () => {
    receiver = await startReceiver({
      expected: { channelId: CHANNEL, token: TOKEN },
      onNotification: (n) => void notifications.push(n),
      onRejection: (r) => void rejections.push(r),
    });
    // A channel nobody told the receiver about.
    await subscribe(receiver.url, "tok-of-someone-else", "1000000068001");
    assert.deepEqual(
      (await dealEdited()).map((d) => d.status),
      [401],
    );
    await client.disable("1000000068001");

    // The expected channel, but its token was changed out of band...
    await subscribe(receiver.url, "tok-changed-elsewhere");
    assert.deepEqual(
      (await dealEdited()).map((d) => d.status),
      [401],
    );
    // ... or cleared, as a PUT without a token does.
    const [cleared] = await client.update({
      channelId: CHANNEL,
      events: ["Deals.all"],
      notifyUrl: `${receiver.url}/zoho`,
    });
    assert.equal(cleared?.ok, true);
    assert.deepEqual(
      (await dealEdited()).map((d) => d.status),
      [401],
    );

    assert.deepEqual(
      rejections.map((r) => r.code),
      ["UNKNOWN_CHANNEL", "TOKEN_MISMATCH", "MISSING_TOKEN"],
    );
    assert.deepEqual(notifications, []);
  });

  it("answers 400 to a body that is not a notification, 405 to other methods, 413 to an oversized body", async () => {
    receiver = await startReceiver({
      expected: { channelId: CHANNEL, token: TOKEN },
      onNotification: (n) => void notifications.push(n),
      onRejection: (r) => void rejections.push(r),
      maxBodyBytes: 4096,
    });
    const post = (body: string) => fetch(`${receiver!.url}/zoho`, { method: "POST", body });

    const malformed = await post("not json");
    assert.equal(malformed.status, 400);
    assert.deepEqual(await malformed.json(), { error: "MALFORMED_BODY" });

    const get = await fetch(`${receiver.url}/zoho`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");

    const huge = await post(JSON.stringify({ padding: "x".repeat(10_000) })).catch((error: unknown) => error);
    // The receiver answers 413 and drops the connection; a client may see either.
    if (huge instanceof Response) assert.equal(huge.status, 413);
    else assert.ok(huge instanceof Error);

    assert.deepEqual(
      rejections.map((r) => r.code),
      ["MALFORMED_BODY"],
    );
    assert.deepEqual(notifications, []);
    // And it still serves.
    await subscribe(receiver.url);
    assert.equal((await dealEdited())[0]?.status, 204);
  });

  it("answers 401 to a delivery older than maxAge by its server_time (TOO_OLD), 204 while it is fresh", async () => {
    let clockAhead = 0;
    receiver = await startReceiver({
      expected: { channelId: CHANNEL, token: TOKEN },
      onNotification: (n) => void notifications.push(n),
      onRejection: (r) => void rejections.push(r),
      maxAge: "PT5M",
      now: () => Date.now() + clockAhead,
    });
    await subscribe(receiver.url);
    assert.equal((await dealEdited())[0]?.status, 204);
    // The same kind of delivery judged ten minutes later, as a replay would be.
    clockAhead = 10 * 60_000;
    assert.equal((await dealEdited())[0]?.status, 401);
    assert.deepEqual(
      rejections.map((r) => r.code),
      ["TOO_OLD"],
    );
    assert.equal(notifications.length, 1);
  });

  it("reports a failing handler and keeps serving", async () => {
    const errors: unknown[] = [];
    const failed = deferred();
    receiver = await startReceiver({
      expected: { channelId: CHANNEL, token: TOKEN },
      onNotification: () => {
        throw new Error("downstream is down");
      },
      onError: (error) => {
        errors.push(error);
        failed.resolve();
      },
    });
    await subscribe(receiver.url);
    assert.equal((await dealEdited())[0]?.status, 204, "acknowledged whatever the handler does");
    await failed.promise;
    assert.match(String(errors[0]), /downstream is down/);
    assert.equal((await dealEdited())[0]?.status, 204);
  });

  it("refuses to start with an unusable expectation", async () => {
    await assert.rejects(
      startReceiver({ expected: [{ channelId: CHANNEL, token: "" }], onNotification: () => undefined }),
      { name: "TypeError", message: /expected\[0\]\.token/ },
    );
  });

  describe("run directly (node dist/examples/receiver/receiver.js)", () => {
    const script = path.join(__dirname, "..", "..", "examples", "receiver", "receiver.js");
    let child: ChildProcess | undefined;

    function run(env: NodeJS.ProcessEnv): {
      child: ChildProcess;
      output: () => string;
      exited: Promise<number | null>;
    } {
      let output = "";
      const proc = spawn(process.execPath, [script], {
        env: { PATH: process.env.PATH, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      proc.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      proc.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
      return { child: proc, output: () => output, exited };
    }

    async function waitFor(read: () => string, pattern: RegExp): Promise<RegExpMatchArray> {
      for (let i = 0; i < 200; i++) {
        const match = read().match(pattern);
        if (match) return match;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`timed out waiting for ${pattern}; output so far:\n${read()}`);
    }

    afterEach(() => {
      if (child && child.exitCode === null) child.kill("SIGKILL");
      child = undefined;
    });

    it("reads EXPECTED_CHANNELS, prints its URL, logs verified notifications (never the token) and stops on SIGTERM", async () => {
      const started = run({
        PORT: "0",
        EXPECTED_CHANNELS: JSON.stringify([{ channelId: CHANNEL, token: TOKEN }]),
      });
      child = started.child;
      const [, url] = await waitFor(started.output, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
      await subscribe(url!);
      assert.equal((await dealEdited())[0]?.status, 204);
      await waitFor(started.output, new RegExp(`verified update of Deals ${RECORD} on channel ${CHANNEL}`));

      await subscribe(url!, "tok-changed-elsewhere");
      assert.equal((await dealEdited())[0]?.status, 401);
      await waitFor(started.output, /refused \(TOKEN_MISMATCH\)/);
      assert.ok(!started.output().includes(TOKEN) && !started.output().includes("tok-changed-elsewhere"));

      child.kill("SIGTERM");
      assert.equal(await started.exited, 0);
    });

    it("exits 1 with what to set when EXPECTED_CHANNELS is missing", async () => {
      const started = run({ PORT: "0" });
      child = started.child;
      assert.equal(await started.exited, 1);
      assert.match(started.output(), /set EXPECTED_CHANNELS/);
    });
  });
});
