// `npm run test:live`: the lifecycle contract against a real Zoho org. Skipped unless
// ZOHO_WATCH_LIVE=1; credentials and the data centre come from the ZOHO_* variables (a sandbox org
// is recommended: ZOHO_ENVIRONMENT=sandbox). Costs about 20 API credits; see README, "The live
// contract run".
import { CLOCK_OFFSET_ENV } from "../../provider/channel/expiry";
import { describeLiveContract, type LiveTarget } from "./contract";

/** What the live run needs besides the provider's own optional settings. */
const REQUIRED = ["ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET", "ZOHO_REFRESH_TOKEN", "ZOHO_WATCH_LIVE_NOTIFY_URL"];

function liveTarget(env: NodeJS.ProcessEnv = process.env): LiveTarget {
  const missing = REQUIRED.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new Error(
      `the live run needs ${missing.join(", ")}: the OAuth client and refresh token of your (sandbox) org, and an https URL you control for the channel's notify_url`,
    );
  }
  if (env[CLOCK_OFFSET_ENV]?.trim()) {
    throw new Error(`unset ${CLOCK_OFFSET_ENV}: it is for the emulator only, never for a real org`);
  }
  const notifyUrl = env.ZOHO_WATCH_LIVE_NOTIFY_URL!.trim();
  if (!notifyUrl.startsWith("https://")) {
    throw new Error("ZOHO_WATCH_LIVE_NOTIFY_URL must be an https URL (Zoho posts notifications there)");
  }
  // Only the ZOHO_* variables: the provider and the suite's client read the same ones.
  const zoho = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith("ZOHO_")));
  return { env: zoho, notifyUrl };
}

const asked = process.env.ZOHO_WATCH_LIVE === "1";

if (asked) {
  describeLiveContract("live contract against a real Zoho org (ZOHO_WATCH_LIVE=1)", () => liveTarget());
} else {
  describe.skip("live contract against a real Zoho org (set ZOHO_WATCH_LIVE=1 to run)", () => {
    it("runs only when asked: npm run test:live");
  });
}
