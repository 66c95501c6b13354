/**
 * The live contract run: the WatchChannel lifecycle, step by step through the real Pulumi CLI,
 * against whatever Zoho the `ZOHO_*` variables name — a real (sandbox) org with `npm run test:live`,
 * or the emulator in `npm test` (emulator.test.ts), so this suite cannot rot between live runs.
 *
 * It only uses what a live org offers: the Pulumi CLI (which runs the provider) and the public
 * watch API through {@link ZohoWatchClient} (get, disable). No emulator control call, no clock
 * moved, no record changes. It runs in a couple of minutes on real time:
 *
 *  - channels live {@link EXPIRES_IN} (10 minutes), so anything a failed run leaves behind lapses on
 *    its own shortly after;
 *  - the renewal is made due by widening `renewBefore` to nearly `expiresIn` (the diff compares the
 *    stored expiry with `now + renewBefore`), instead of waiting days for the window to open.
 *
 * Every Zoho call costs one API credit: see {@link LIVE_RUN_MAX_WATCH_CALLS} and the README.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { clientOptions, readSettings } from "../../provider/engine/settings";
import { ZohoWatchClient, type WatchChannel } from "../../provider/client";
import { PulumiStack, type StateResource } from "../../harness/pulumi-stack";

/** Where the run goes. */
export interface LiveTarget {
  /** `ZOHO_*` variables for the provider and the suite's own client (credentials, DC, URLs). */
  env: NodeJS.ProcessEnv;
  /** The channel's notify URL: an https endpoint you control (Zoho posts there if Leads change). */
  notifyUrl: string;
}

/** The channel's lifetime: short, so leftovers of a failed run lapse by themselves. */
export const EXPIRES_IN = "PT10M";
/** The renewal window outside the renewal step: the channel is not due for the first 5 minutes. */
export const RENEW_BEFORE = "PT5M";
/** The window that makes the renewal due: opens 10 seconds after the channel was written. */
export const RENEW_BEFORE_DUE = "PT9M50S";
const DUE_AFTER_MS = 10_000;

/**
 * The most watch API calls (= Zoho API credits) one complete run makes; the emulator run checks it.
 * Measured there: 12 GET (the provider's liveness checks before each write and on refresh and
 * delete, the suite's checks after each step and its cleanup check), 2 POST (create, re-create after
 * the out-of-band delete), 2 PUT (renewal, update), 2 DELETE (out-of-band, destroy). Previews and the
 * renewBefore-only update cost nothing.
 */
export const LIVE_RUN_MAX_WATCH_CALLS = 18;
/**
 * Token requests one run makes at most: one per CLI command that calls Zoho, one for the suite's
 * client. Zoho allows about 10 per 10 minutes per refresh token (the emulator run enforces that), so
 * leave 10 minutes between two live runs. Token requests cost no API credits.
 */
export const LIVE_RUN_MAX_TOKEN_REQUESTS = 8;

const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
const NAME = "contract";

/** A client configured exactly as the provider configures itself from the same variables. */
export function clientFromEnv(env: NodeJS.ProcessEnv): ZohoWatchClient {
  const settings = readSettings(undefined, env);
  return new ZohoWatchClient(clientOptions(settings));
}

/**
 * Declares the lifecycle suite. `target` is called once, in the suite's `before`; the steps depend on
 * each other and run in order (mocha runs a suite's tests in declaration order).
 */
export function describeLiveContract(title: string, target: () => LiveTarget | Promise<LiveTarget>): void {
  describe(title, function () {
    // Real Zoho answers in hundreds of milliseconds and each step runs the CLI; keep generous room.
    this.timeout(600_000);
    let client: ZohoWatchClient | undefined;
    let stack: PulumiStack | undefined;
    let notifyUrl: string;
    let channelId: string | undefined;
    const token = `live-${randomBytes(12).toString("hex")}`;
    let events = ["Leads.create"];
    let renewBefore = RENEW_BEFORE;

    async function declare(): Promise<void> {
      const channels = { [NAME]: { events, notifyUrl, expiresIn: EXPIRES_IN, renewBefore } };
      await stack!.setConfig("channels", JSON.stringify(channels), { secret: true });
    }

    async function stateChannel(): Promise<StateResource | undefined> {
      return (await stack!.resourcesOfType(TYPE)).find((r) => r.urn.endsWith(`::${NAME}`));
    }

    async function stored(): Promise<StateResource & { id: string; outputs: Record<string, unknown> }> {
      const resource = await stateChannel();
      assert.ok(resource?.id && resource.outputs, "the channel is in state");
      return resource as StateResource & { id: string; outputs: Record<string, unknown> };
    }

    async function live(): Promise<WatchChannel | undefined> {
      assert.ok(channelId, "the channel id is known");
      return client!.get(channelId);
    }

    /** Live and state agree: the declared events and token, and the expiry state recorded. */
    async function assertLiveMatchesState(): Promise<WatchChannel> {
      const resource = await stored();
      const channel = await live();
      assert.ok(channel, `channel ${resource.id} is subscribed`);
      assert.equal(channel.channelId, resource.id);
      assert.equal(channel.token, token, "the token is intact");
      assert.equal(channel.notifyUrl, notifyUrl);
      assert.deepEqual([...channel.events].sort(), [...events].sort());
      assert.equal(
        channel.channelExpiry.toMillis(),
        Date.parse(String(resource.outputs.channelExpiry)),
        "the live expiry is the one in state",
      );
      return channel;
    }

    before(async () => {
      const resolved = await target();
      notifyUrl = resolved.notifyUrl;
      client = clientFromEnv(resolved.env);
      stack = await PulumiStack.create({
        program: "test/programs/channels",
        env: resolved.env,
        secrets: { tokens: JSON.stringify({ [NAME]: token }) },
      });
      await declare();
    });

    after(async () => {
      // A failed run must not leave a channel behind: destroy, then make sure it is disabled.
      try {
        if (stack && (await stateChannel())) await stack.destroy([], { allowFailure: true });
        if (client && channelId && (await client.get(channelId))) await client.disable(channelId);
      } finally {
        await client?.close();
        await stack?.dispose();
      }
    });

    it("create: `pulumi up` subscribes the channel with its token and a 10-minute expiry", async () => {
      await stack!.up();
      const resource = await stored();
      channelId = resource.id;
      const channel = await assertLiveMatchesState();
      const lifetime = channel.channelExpiry.toMillis() - Date.now();
      assert.ok(
        lifetime > 5 * 60_000 && lifetime <= 11 * 60_000,
        `Zoho kept the requested expiry (about 10 minutes): it answered ${channel.channelExpiry.toISO()}`,
      );
    });

    it("no change: `pulumi preview` plans nothing", async () => {
      await stack!.preview(["--expect-no-changes"]);
    });

    it("renewal: once inside renewBefore, preview plans a replacement under channelExpiry and up moves the expiry without a gap", async () => {
      const before = await stored();
      const writtenAt = Date.parse(String(before.outputs.channelExpiry)) - 10 * 60_000;
      // The widened window opens DUE_AFTER_MS after the write; usually that has already passed.
      const wait = writtenAt + DUE_AFTER_MS + 1_000 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      renewBefore = RENEW_BEFORE_DUE;
      await declare();
      const steps = await stack!.previewSteps();
      const step = steps.find((s) => s.urn.endsWith(`::${NAME}`));
      assert.equal(step?.op, "replace");
      assert.deepEqual(step?.replaceReasons, ["channelExpiry"]);

      await stack!.up();
      const after = await stored();
      assert.equal(after.id, before.id, "a renewal keeps the channel id");
      assert.ok(
        Date.parse(String(after.outputs.channelExpiry)) > Date.parse(String(before.outputs.channelExpiry)),
        "the expiry moved later",
      );
      // Still subscribed after the old resource's delete ran, with the token intact.
      await assertLiveMatchesState();
    });

    it("renewBefore back to 5 minutes: an update of state only, and then nothing to do", async () => {
      renewBefore = RENEW_BEFORE;
      await declare();
      const steps = await stack!.previewSteps();
      assert.equal(steps.find((s) => s.urn.endsWith(`::${NAME}`))?.op, "update");
      await stack!.up();
      await stack!.preview(["--expect-no-changes"]);
    });

    it("out-of-band delete: disabled through the API, `pulumi refresh` drops it from state, `up` subscribes it again", async () => {
      const [outcome] = await client!.disable(channelId!);
      assert.equal(outcome?.ok, true, JSON.stringify(outcome));
      assert.equal(await live(), undefined, "gone from Zoho");
      await stack!.refresh();
      assert.equal(await stateChannel(), undefined, "gone from state");
      const steps = await stack!.previewSteps();
      assert.equal(steps.find((s) => s.urn.endsWith(`::${NAME}`))?.op, "create");
      await stack!.up();
      assert.equal((await stored()).id, channelId, "the same (derived) channel id");
      await assertLiveMatchesState();
    });

    it("update: a changed event list is an in-place update that keeps the token", async () => {
      events = ["Leads.create", "Leads.edit"];
      await declare();
      const steps = await stack!.previewSteps();
      assert.equal(steps.find((s) => s.urn.endsWith(`::${NAME}`))?.op, "update");
      await stack!.up();
      await assertLiveMatchesState();
      await stack!.preview(["--expect-no-changes"]);
    });

    it("destroy: `pulumi destroy` disables the channel", async () => {
      await stack!.destroy();
      assert.equal(await stateChannel(), undefined);
      assert.equal(await live(), undefined, "unsubscribed at Zoho");
    });
  });
}
