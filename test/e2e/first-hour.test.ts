// A newcomer's mistakes through the real CLI: each is caught at preview with zero API calls, in one
// clean message; and a rule learned after a stack was made never stops its renewals.
import assert from "node:assert/strict";
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { clockOffset } from "../../harness/emulator";
import { useChannelStacks } from "./channel-stacks";

const TYPE = "pulumi-nodejs:dynamic/zoho:WatchChannel";
const LOCAL_HOOK = "http://127.0.0.1:9/hooks";
const PUBLIC_HTTP_HOOK = "http://hooks.example.com/zoho";

describe("a newcomer's mistakes, caught at preview through the real CLI", function () {
  this.timeout(240_000);
  const fixture = useChannelStacks();
  /** The environment must not fill in what a stack's config lacks. */
  const NO_ENV_CREDENTIALS = { ZOHO_CLIENT_ID: "", ZOHO_CLIENT_SECRET: "", ZOHO_REFRESH_TOKEN: "" };
  const newStack = (channels: Record<string, unknown>, drop: string[] = []) =>
    fixture.newStack(channels, { drop, env: NO_ENV_CREDENTIALS });

  it("fails preview when credentials are missing, naming every missing key and how to set it, with zero calls", async () => {
    const stack = await newStack({ orders: { events: ["Deals.all"], notifyUrl: LOCAL_HOOK } }, [
      "zoho-watch:clientSecret",
      "zoho-watch:refreshToken",
    ]);
    await fixture.emulator.resetStats();
    const result = await stack.preview([], { allowFailure: true });
    assert.notEqual(result.code, 0);
    assert.match(
      result.output,
      /missing Zoho credentials: set zoho-watch:clientSecret \(or ZOHO_CLIENT_SECRET\), zoho-watch:refreshToken \(or ZOHO_REFRESH_TOKEN\); e\.g\. `pulumi config set --secret zoho-watch:clientSecret/,
    );
    assert.equal((await fixture.emulator.stats()).total, 0, "no API call and no token request");
  });

  it("prints a check failure once, as the resource's problem, without `value {<nil>}` or a stack trace", async () => {
    const stack = await newStack({ orders: { events: ["Dealz.create"], notifyUrl: LOCAL_HOOK } });
    const result = await stack.preview([], { allowFailure: true });
    assert.notEqual(result.code, 0);
    assert.match(
      result.output,
      /has a problem: events\[0\]: "Dealz\.create" names no Zoho CRM module; did you mean "Deals\.create"\?/,
    );
    assert.doesNotMatch(result.output, /\{<nil>\}/);
    // The CLI shows an error on the resource's progress line and again under Diagnostics: one message.
    const diagnostics = result.output.split("Diagnostics:")[1] ?? "";
    assert.equal(diagnostics.match(/names no Zoho CRM module/g)?.length, 1, "said once");
  });

  it("prints a misspelt config key once per resource, without a gRPC stack trace", async () => {
    const stack = await newStack({ orders: { events: ["Deals.all"], notifyUrl: LOCAL_HOOK } });
    await stack.setConfig("zoho-watch:clientid", "1000.X");
    const result = await stack.preview([], { allowFailure: true });
    assert.notEqual(result.code, 0);
    const diagnostics = result.output.split("Diagnostics:")[1] ?? "";
    assert.equal(
      diagnostics.match(/zoho-watch:clientid is not a setting of zoho-watch/g)?.length,
      1,
      "said once",
    );
    assert.doesNotMatch(result.output, /rpc error|grpc/i);
    assert.doesNotMatch(result.output, /\n\s+at .*\.js:\d+/, "no stack trace");
  });

  it("refuses a plain-http notify URL to a public host at preview, with zero calls, unless allowPlainHttp is set", async () => {
    const stack = await newStack({ orders: { events: ["Deals.all"], notifyUrl: PUBLIC_HTTP_HOOK } });
    await fixture.emulator.resetStats();
    const refused = await stack.preview([], { allowFailure: true });
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.output,
      /notifyUrl: http:\/\/hooks\.example\.com\/zoho is plain http to hooks\.example\.com: Zoho would send every notification, verification token included, unencrypted.*allowPlainHttp: true/s,
    );
    assert.equal((await fixture.emulator.stats()).total, 0);

    await stack.setConfig(
      "channels",
      JSON.stringify({
        orders: { events: ["Deals.all"], notifyUrl: PUBLIC_HTTP_HOOK, allowPlainHttp: true },
      }),
    );
    await stack.up();
    assert.equal((await fixture.emulator.channels()).filter((c) => c.live).length, 1);
  });

  it("keeps renewing a channel whose stored URL a newer rule refuses: a warning, not a failure", async () => {
    // A stack made before the rule: its state holds a public plain-http URL, declared without the
    // opt-in (what every stack of the previous release that used one looks like).
    const stack = await newStack({
      orders: {
        events: ["Deals.all"],
        notifyUrl: PUBLIC_HTTP_HOOK,
        allowPlainHttp: true,
        renewBefore: "P2D",
      },
    });
    await stack.up();
    await stack.setConfig(
      "channels",
      JSON.stringify({ orders: { events: ["Deals.all"], notifyUrl: PUBLIC_HTTP_HOOK, renewBefore: "P2D" } }),
    );
    const [before] = await stack.resourcesOfType(TYPE);
    const preview = (await stack.preview()).output;
    assert.match(
      preview,
      /warning: notifyUrl http:\/\/hooks\.example\.com\/zoho is plain http.*already holds this value/s,
    );

    // Into the renewal window: the renewal runs, warning again, and the channel stays subscribed.
    await fixture.emulator.advanceClock("P5DT12H");
    stack.setEnv({ [CLOCK_OFFSET_ENV]: await clockOffset(fixture.emulator) });
    const up = (await stack.up()).output;
    assert.match(up, /already holds this value/);
    const [after] = await stack.resourcesOfType(TYPE);
    assert.notEqual(after?.outputs?.channelExpiry, before?.outputs?.channelExpiry, "renewed");
    // One subscribed interval per module since the first up: never unsubscribed.
    const timeline = (await fixture.emulator.timeline())[String(after?.id)] ?? {};
    assert.ok(Object.keys(timeline).length > 0, "the channel has a timeline");
    for (const intervals of Object.values(timeline)) {
      assert.equal(intervals.length, 1, `never unsubscribed: ${JSON.stringify(intervals)}`);
    }
  });
});
