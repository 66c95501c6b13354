import * as z from "zod";
import { RATE_LIMIT_CODES, type RateLimitCode } from "../zoho/errors";
import { isValidZone } from "../zoho/expiry";
import type { OAuthCredentials, TokenRateLimit } from "../zoho/oauth";

/** Options of {@link startEmulator}; every one has a default. */
export interface EmulatorOptions {
  /** Interface to listen on. Default `127.0.0.1`; the control API has no authentication, keep it local. */
  readonly host?: string;
  /** Default 0: any free port (read the chosen one from `url`). */
  readonly port?: number;
  /** The OAuth client and refresh token of the default org. Default {@link DEMO_CREDENTIALS}. */
  readonly credentials?: OAuthCredentials;
  /**
   * More orgs besides the default one, each with its own credentials (a refresh token names one
   * org) and its own channels: a channel id names a channel only within its org. The control API
   * adds more at run time (`addOrg`).
   */
  readonly orgs?: readonly OrgSpec[];
  /**
   * Scopes granted to access tokens (answered as `scope`). Default
   * `["ZohoCRM.notifications.ALL", "ZohoCRM.org.READ"]`.
   */
  readonly scopes?: readonly string[];
  /** Access-token lifetime on the emulator clock. Default 3600. */
  readonly accessTokenTtlSeconds?: number;
  /** Token-request throttle on the emulator clock. Default 10 per 600 s; `false` disables it. */
  readonly tokenRateLimit?: TokenRateLimit | false;
  /** The org's time zone, in which expiries are echoed (any luxon zone). Default `UTC+5:30`. */
  readonly orgTimeZone?: string;
  /** Most API requests in flight at once (Zoho's Free edition: 5). 0 or null = unlimited. */
  readonly concurrencyLimit?: number | null;
  /**
   * Code of the 429 bodies the concurrency limit (and 429 faults that name none) answer. Zoho's pages
   * say `TOO_MANY_REQUESTS` (the default), its v8 OpenAPI `RATE_LIMIT_EXCEEDED`: clients must accept both.
   */
  readonly rateLimitCode?: RateLimitCode;
  /** Deliver notifications to non-loopback URLs too. Default false: they are recorded as skipped. */
  readonly allowExternalDelivery?: boolean;
  /** Give up on a receiver after this long. Default 5000. */
  readonly deliveryTimeoutMs?: number;
  /** Keep state in this JSON file across restarts. Default: in memory only. */
  readonly stateFile?: string;
  /**
   * Keep this small JSON file equal to the clock's offset (rewritten at start and whenever the clock
   * moves), for the provider and `zoho-watch status` to read as `zoho-watch:clockOffset: file:PATH`.
   * Holds no secret. Default: none.
   */
  readonly clockFile?: string;
  /** Custom module API names the org has, besides the standard ones and any `*__c` name. */
  readonly customModules?: readonly string[];
  /**
   * Receives the emulator's warnings (today one: `host` is not loopback, so the unauthenticated
   * control API is reachable from elsewhere). Default: `process.emitWarning` with code
   * {@link EXPOSED_HOST_WARNING_CODE}.
   */
  readonly onWarning?: (message: string) => void;
}

/** `code` of the process warning emitted when the emulator listens beyond loopback. */
export const EXPOSED_HOST_WARNING_CODE = "ZOHO_EMULATOR_EXPOSED";

function emitProcessWarning(message: string): void {
  process.emitWarning(message, { type: "ZohoEmulatorWarning", code: EXPOSED_HOST_WARNING_CODE });
}

/** An org of the emulated Zoho: its credentials, and optionally its id and name. */
export interface OrgSpec {
  /** The org id `GET /crm/{version}/org` answers (a decimal string). Default: one made up from its position. */
  readonly id?: string;
  /** `company_name` in `GET /crm/{version}/org`. Default `Emulated Org <n>`. */
  readonly companyName?: string;
  /** The OAuth client and refresh token whose access tokens act in this org. */
  readonly credentials: OAuthCredentials;
}

/** The default org's id (`GET /crm/{version}/org` answers it for the default credentials). */
export const DEFAULT_ORG_ID = "4150868000000224005";

/** The default org's `company_name`. */
export const DEFAULT_ORG_NAME = "Emulated Org";

const credentialsSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  refreshToken: z.string().min(1),
});

/** An {@link OrgSpec} as options and the control API accept it. */
export const orgSpecSchema = z
  .object({
    id: z
      .string()
      .regex(/^[1-9]\d{0,18}$/, "an org id is a decimal string")
      .optional(),
    companyName: z.string().min(1).max(200).optional(),
    credentials: credentialsSchema,
  })
  .strict();

/** The demo org's credentials, used when none are given (documented in emulator/README.md). */
export const DEMO_CREDENTIALS: OAuthCredentials = Object.freeze({
  clientId: "1000.EMULATOR0CLIENT0ID",
  clientSecret: "emulator-client-secret",
  refreshToken: "1000.emulator-refresh-token",
});

const optionsSchema = z
  .object({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(0).max(65535).default(0),
    credentials: credentialsSchema.default(DEMO_CREDENTIALS),
    orgs: z.array(orgSpecSchema).default([]),
    scopes: z.array(z.string().min(1)).min(1).default(["ZohoCRM.notifications.ALL", "ZohoCRM.org.READ"]),
    accessTokenTtlSeconds: z.number().int().positive().default(3600),
    tokenRateLimit: z
      .union([
        z.literal(false),
        z.object({ max: z.number().int().positive(), windowSeconds: z.number().positive() }),
      ])
      .default({ max: 10, windowSeconds: 600 }),
    orgTimeZone: z.string().refine(isValidZone, "not a time zone luxon knows").default("UTC+5:30"),
    concurrencyLimit: z.number().int().nonnegative().nullable().default(5),
    rateLimitCode: z.enum(RATE_LIMIT_CODES).default("TOO_MANY_REQUESTS"),
    allowExternalDelivery: z.boolean().default(false),
    deliveryTimeoutMs: z.number().int().positive().default(5000),
    stateFile: z.string().min(1).optional(),
    clockFile: z.string().min(1).optional(),
    customModules: z.array(z.string()).default([]),
    onWarning: z
      .custom<(message: string) => void>((value) => typeof value === "function", "must be a function")
      .default(() => emitProcessWarning),
  })
  .strict();

export type ResolvedOptions = z.infer<typeof optionsSchema>;

/** Options with defaults applied; throws a readable error for invalid ones. */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const result = optionsSchema.safeParse(options);
  if (!result.success) throw new Error(`invalid emulator options:\n${z.prettifyError(result.error)}`);
  return result.data;
}
