/**
 * What "now" is for the CLI: real time, shifted like the provider's clock when
 * `ZOHO_WATCH_CLOCK_OFFSET` is set (only for runs against an emulator whose clock was moved).
 */
import { DateTime, Duration } from "luxon";

/**
 * The variable the provider reads too (provider/resource/expiry.ts, exported as `CLOCK_OFFSET_ENV`):
 * an ISO-8601 duration (`P6DT12H`) or milliseconds. Never set it against a real Zoho org.
 */
export const CLOCK_OFFSET_ENV = "ZOHO_WATCH_CLOCK_OFFSET";

/** Real time plus {@link CLOCK_OFFSET_ENV}; throws a readable error when the offset is unreadable. */
export function currentTime(env: NodeJS.ProcessEnv): DateTime {
  const offset = env[CLOCK_OFFSET_ENV]?.trim();
  if (!offset) return DateTime.utc();
  const millis = /^-?\d+$/.test(offset) ? Number(offset) : Duration.fromISO(offset).toMillis();
  if (!Number.isFinite(millis)) {
    throw new RangeError(`${CLOCK_OFFSET_ENV}="${offset}" is neither an ISO-8601 duration nor milliseconds`);
  }
  return DateTime.utc().plus(millis);
}
