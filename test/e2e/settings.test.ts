// Settings mistakes through the real CLI: each fails `pulumi preview` naming the config key, before
// any API call; and which credentials `pulumi refresh` uses after they were rotated.
import assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { PulumiStack } from "../../harness/pulumi-stack";
import { providerConfig, startTestEmulator } from "../../harness/emulator";

const HOOK = "http://127.0.0.1:9/hooks";
const CHANNELS = JSON.stringify({ orders: { events: ["Deals.all"], notifyUrl: HOOK } });

describe("settings through the real CLI", function () {
  this.timeout(240_000);
  let emulator: RunningEmulator;
  const stacks: PulumiStack[] = [];

  before(async () => {
    emulator = await startTestEmulator();
  });
  after(async () => {
    await Promise.all(stacks.map((s) => s.dispose()));
    await emulator?.close();
  });

  async function newStack(extra: Record<string, string> = {}): Promise<PulumiStack> {
    const { config, secrets } = providerConfig(emulator.url);
    const stack = await PulumiStack.create({
      program: "test/programs/channels",
      config: { ...config, channels: CHANNELS, ...extra },
      secrets,
    });
    stacks.push(stack);
    return stack;
  }

  for (const [what, extra, reason] of [
    [
      "a misspelt zoho-watch key",
      { "zoho-watch:clientid": "1000.X" },
      /config zoho-watch:clientid is not a setting of zoho-watch; did you mean zoho-watch:clientId\?/,
    ],
    [
      "an accountsUrl that is not a URL",
      { "zoho-watch:accountsUrl": "accounts.zoho.eu" },
      /config zoho-watch:accountsUrl \(or ZOHO_ACCOUNTS_URL\) is not an http\(s\) URL/,
    ],
    [
      "an operationTimeout that is not a duration",
      { "zoho-watch:operationTimeout": "5 minutes" },
      /config zoho-watch:operationTimeout \(or ZOHO_OPERATION_TIMEOUT\) is "5 minutes": use an ISO-8601 duration/,
    ],
    [
      "an apiDomain that is not a URL",
      { "zoho-watch:apiDomain": "ftp://zohoapis.eu" },
      /config zoho-watch:apiDomain \(or ZOHO_API_DOMAIN\) is not an http\(s\) URL/,
    ],
  ] as const) {
    it(`fails preview for ${what}, naming the key, with no API call`, async () => {
      const stack = await newStack(extra);
      await emulator.resetStats();
      const result = await stack.preview([], { allowFailure: true });
      assert.notEqual(result.code, 0);
      assert.match(result.output, reason);
      assert.equal((await emulator.stats()).total, 0);
    });
  }

  it("fails preview for a misspelt input, suggesting the right name, with no API call", async () => {
    const stack = await newStack({
      channels: JSON.stringify({ orders: { events: ["Deals.all"], notifyURL: HOOK, notifyUrl: HOOK } }),
    });
    await emulator.resetStats();
    const result = await stack.preview([], { allowFailure: true });
    assert.notEqual(result.code, 0);
    assert.match(result.output, /notifyURL.*is not an input of WatchChannel; did you mean notifyUrl\?/s);
    assert.equal((await emulator.stats()).total, 0);
  });

  it("refresh configures the provider with the credentials stored by the last up; a plain up picks up rotated ones", async () => {
    const stack = await newStack();
    await stack.up();
    // The refresh token changes in config only (a wrong one here, so that using it shows).
    await stack.setConfig("zoho-watch:refreshToken", "1000.rotated-but-wrong", { secret: true });
    const before = await stack.refresh([], { allowFailure: true });
    // With nothing to change, `up` calls nothing, and records the provider's new configuration.
    await stack.up();
    const after = await stack.refresh([], { allowFailure: true });
    console.log(`      (refresh exited ${before.code} before the up, ${after.code} after it)`);
    assert.equal(before.code, 0, "before an up, refresh still used the credentials of the last up");
    assert.notEqual(after.code, 0, "after the up, refresh uses the rotated (wrong) refresh token");
    assert.match(after.output, /invalid_code|refresh token/i);
  });
});
