// The provider process's batching client against the emulator: concurrent writes share requests,
// each caller keeps its own outcome, and what the process already knows replaces GETs.
import assert from "node:assert/strict";
import { DateTime } from "luxon";
import { DEMO_CREDENTIALS, type RunningEmulator } from "../../emulator";
import { BatchingWatchClient, MAX_BATCH_ITEMS } from "../../provider/engine/batcher";
import { ChannelMemory } from "../../provider/engine/run-memory";
import { ZohoWatchClient } from "../../provider/client/client";
import { ZohoAuthError, ZohoNotFoundError, ZohoValidationError } from "../../provider/zoho/errors";
import type { UpdateItem } from "../../provider/zoho/schemas";
import { startTestEmulator } from "../../harness/emulator";

describe("BatchingWatchClient (the provider's batched view of the watch API)", function () {
  let emulator: RunningEmulator;
  let client: ZohoWatchClient;
  let memory: ChannelMemory;
  let batching: BatchingWatchClient;
  let nextId = 2000000068001n;
  const newId = () => String(nextId++);

  const item = (channelId: string, overrides: Partial<UpdateItem> = {}): UpdateItem => ({
    channelId,
    events: ["Deals.all"],
    notifyUrl: "http://127.0.0.1:9/hooks",
    token: "verify-0123456789",
    channelExpiry: DateTime.utc().plus({ days: 6 }).startOf("second"),
    ...overrides,
  });
  const liveIds = async () => (await emulator.channels()).filter((c) => c.live).map((c) => c.channelId);

  before(async () => {
    emulator = await startTestEmulator();
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    await emulator.reset();
    client = new ZohoWatchClient({
      credentials: DEMO_CREDENTIALS,
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
      retry: { maxAttempts: 1 },
    });
    memory = new ChannelMemory();
    batching = new BatchingWatchClient(client, { memory });
  });
  afterEach(async () => {
    await batching.close();
  });

  it("sends concurrent writes as one request and gives each caller its own item's outcome", async () => {
    const ids = Array.from({ length: 12 }, newId);
    const outcomes = await Promise.all(ids.map((id) => batching.enable(item(id))));
    assert.deepEqual(
      outcomes.map(([o]) => o?.channelId),
      ids,
    );
    assert.ok(outcomes.every(([o]) => o?.ok));
    const stats = await emulator.stats();
    assert.equal(stats.enable, 1, "one POST for twelve channels");
    assert.equal(stats.token, 1);
    assert.deepEqual((await liveIds()).sort(), [...ids].sort());
  });

  it("splits at Zoho's limit of 50 items and never puts one channel twice into a request", async () => {
    const ids = Array.from({ length: MAX_BATCH_ITEMS + 20 }, newId);
    await Promise.all(ids.map((id) => batching.enable(item(id))));
    assert.equal((await emulator.stats()).enable, 2);

    await emulator.resetStats();
    const [first, second] = await Promise.all([
      batching.update(item(ids[0]!, { events: ["Leads.create"] })),
      batching.update(item(ids[0]!, { events: ["Contacts.create"] })),
    ]);
    assert.ok(first[0]?.ok && second[0]?.ok, "no AMBIGUITY_DURING_PROCESSING");
    assert.equal((await emulator.stats()).update, 2);
    const live = (await emulator.channels()).find((c) => c.channelId === ids[0]);
    assert.deepEqual(live?.events, ["Contacts.create"], "applied in the order they were asked");
  });

  it("keeps Zoho's per-item errors per item", async () => {
    const live = newId();
    await batching.enable(item(live));
    const unknown = newId();
    const [[ok], [missing]] = await Promise.all([
      batching.update(item(live)),
      batching.update(item(unknown)),
    ]);
    assert.equal(ok?.ok, true);
    assert.equal(missing?.ok, false);
    assert.ok(!missing?.ok && missing?.error instanceof ZohoNotFoundError);
    assert.equal((await emulator.stats()).update, 1, "both in one PUT");
  });

  it("does not let an item the client refuses fail its neighbours", async () => {
    const good = newId();
    const results = await Promise.allSettled([
      batching.enable(item(good)),
      batching.enable(item(newId(), { token: "t".repeat(51) })),
    ]);
    assert.equal(results[0].status, "fulfilled");
    assert.equal(results[1].status, "rejected");
    assert.ok(results[1].status === "rejected" && results[1].reason instanceof ZohoValidationError);
    assert.deepEqual(await liveIds(), [good]);
  });

  it("fails every caller of a request that failed as a whole", async () => {
    await emulator.injectFault({ kind: "status", status: 500, match: { operation: "enable" } });
    const results = await Promise.allSettled([
      batching.enable(item(newId())),
      batching.enable(item(newId())),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ["rejected", "rejected"],
    );
    assert.equal((await emulator.stats()).enable, 1);
  });

  it("disables concurrent channels with one DELETE", async () => {
    const ids = [newId(), newId(), newId()];
    await Promise.all(ids.map((id) => batching.enable(item(id))));
    const outcomes = await Promise.all(ids.map((id) => batching.disable(id)));
    assert.ok(outcomes.every(([o]) => o?.ok));
    assert.equal((await emulator.stats()).disable, 1);
    assert.deepEqual(await liveIds(), []);
  });

  it("knows a channel is live without a GET when Pulumi stored an expiry still ahead", async () => {
    const id = newId();
    await client.enable(item(id));
    await emulator.resetStats();
    memory.noteStored(id, DateTime.utc().plus({ days: 2 }).toISO());
    assert.equal(await batching.isLive(id), true);
    assert.equal((await emulator.stats()).list, 0);

    const expired = newId();
    memory.noteStored(expired, DateTime.utc().minus({ hours: 1 }).toISO());
    assert.equal(await batching.isLive(expired), false, "a stored expiry already past asks Zoho");
    assert.equal((await emulator.stats()).list, 1);
  });

  it("answers from its own writes, and asks Zoho again after it disabled a channel", async () => {
    const id = newId();
    const [written] = await batching.enable(item(id));
    await emulator.resetStats();
    assert.equal(await batching.isLive(id), true);
    const expiry = memory.writtenExpiry(id);
    assert.ok(written?.ok && expiry?.toMillis() === written.resources[0]?.channelExpiry?.toMillis());
    assert.equal((await emulator.stats()).list, 0, "no GET for what this process wrote");

    memory.noteStored(id, DateTime.utc().plus({ days: 2 }).toISO());
    await batching.disable(id);
    assert.equal(await batching.isLive(id), false, "its own disable is newer than the stored expiry");
    assert.equal(memory.writtenExpiry(id), null);
    assert.equal((await emulator.stats()).list, 1);
  });

  it("asks Zoho again once a PUT found the channel gone, whatever Pulumi stored", async () => {
    const id = newId();
    memory.noteStored(id, DateTime.utc().plus({ days: 2 }).toISO());
    const [outcome] = await batching.update(item(id));
    assert.ok(outcome && !outcome.ok && outcome.error instanceof ZohoNotFoundError);
    await emulator.resetStats();
    assert.equal(await batching.isLive(id), false);
    assert.equal((await emulator.stats()).list, 1);
  });

  it("answers concurrent lookups of many channels from one listing of the org, kept for the run", async () => {
    const live = [newId(), newId(), newId()];
    await client.enable(live.map((id) => item(id)));
    const unknown = [newId(), newId()];
    await emulator.resetStats();
    const found = await Promise.all([...live, ...unknown].map((id) => batching.lookup(id)));
    assert.deepEqual(
      found.map((channel) => channel?.channelId),
      [...live, undefined, undefined],
    );
    assert.equal((await emulator.stats()).list, 1, "one listing (one page) for five lookups");
    assert.equal(await batching.lookup(newId()), undefined);
    assert.equal((await emulator.stats()).list, 1, "later lookups use the same listing");
  });

  it("looks up a lone channel with one GET of that channel", async () => {
    const id = newId();
    await client.enable(item(id));
    await emulator.resetStats();
    assert.equal((await batching.lookup(id))?.channelId, id);
    assert.equal((await emulator.stats()).list, 1);
  });

  it("gets the access token while a request waits for others to join, not after the wait", async () => {
    const waiting = new BatchingWatchClient(client, { memory, windowMs: 1000 });
    const id = newId();
    const found = waiting.lookup(id);
    // Watched for the first half of the window only (a loopback token takes milliseconds): the
    // token must arrive while the lookup still waits, with nothing listed yet.
    const watchUntil = Date.now() + 500;
    while ((await emulator.stats()).token === 0 && Date.now() < watchUntil) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const during = await emulator.stats();
    assert.equal(during.token, 1, "the token was requested when the lookup was queued");
    assert.equal(during.list, 0, "the lookup itself still waits for its window");
    assert.equal(await found, undefined);
    const after = await emulator.stats();
    assert.equal(after.list, 1);
    assert.equal(after.token, 1, "the lookup used the token fetched during the window");
    await waiting.close();
  });

  it("reports a refused credential through the waiting request, after one token request", async () => {
    const refused = new ZohoWatchClient({
      credentials: { ...DEMO_CREDENTIALS, refreshToken: "1000.revoked.refresh" },
      accountsUrl: emulator.url,
      apiDomain: emulator.url,
      retry: { maxAttempts: 1 },
    });
    const waiting = new BatchingWatchClient(refused, { memory });
    await assert.rejects(waiting.enable(item(newId())), ZohoAuthError);
    const stats = await emulator.stats();
    assert.equal(stats.token, 1, "the early token request is the only one");
    assert.equal(stats.enable, 0);
    await waiting.close();
  });

  it("shares one GET between concurrent reads of the same channel", async () => {
    const id = newId();
    await client.enable(item(id));
    await emulator.resetStats();
    const [a, b] = await Promise.all([batching.get(id), batching.get(id)]);
    assert.equal(a?.channelId, id);
    assert.equal(b, a);
    assert.equal((await emulator.stats()).list, 1);
  });
});
