/**
 * Zoho data centres: where the accounts (OAuth) server and the CRM API live.
 *
 * A Zoho org lives in exactly one data centre, and its client id, secret and refresh token are
 * only valid at that DC's accounts server. The API host normally comes from the token answer's
 * `api_domain`; this table is the fallback and the source for sandbox/developer hosts.
 */

/** One data centre's production endpoints. */
export interface DataCentreEndpoints {
  /** Production CRM API origin, e.g. `https://www.zohoapis.eu`. */
  readonly apiDomain: string;
  /** OAuth accounts server origin, e.g. `https://accounts.zoho.eu`. */
  readonly accountsUrl: string;
}

/** The data centres from Zoho's docs (its multi-DC pages: API domain and accounts server of each). */
export const DATA_CENTRES = {
  US: { apiDomain: "https://www.zohoapis.com", accountsUrl: "https://accounts.zoho.com" },
  EU: { apiDomain: "https://www.zohoapis.eu", accountsUrl: "https://accounts.zoho.eu" },
  IN: { apiDomain: "https://www.zohoapis.in", accountsUrl: "https://accounts.zoho.in" },
  AU: { apiDomain: "https://www.zohoapis.com.au", accountsUrl: "https://accounts.zoho.com.au" },
  JP: { apiDomain: "https://www.zohoapis.jp", accountsUrl: "https://accounts.zoho.jp" },
  CA: { apiDomain: "https://www.zohoapis.ca", accountsUrl: "https://accounts.zohocloud.ca" },
  SA: { apiDomain: "https://www.zohoapis.sa", accountsUrl: "https://accounts.zoho.sa" },
  CN: { apiDomain: "https://www.zohoapis.com.cn", accountsUrl: "https://accounts.zoho.com.cn" },
} as const satisfies Record<string, DataCentreEndpoints>;

/** A data centre key: `US`, `EU`, `IN`, `AU`, `JP`, `CA`, `SA` or `CN`. */
export type DataCentre = keyof typeof DATA_CENTRES;

/** All data centre keys, in table order. */
export const DATA_CENTRE_NAMES = Object.keys(DATA_CENTRES) as DataCentre[];

/** Which kind of org: sandbox and developer orgs use `sandbox.` / `developer.zohoapis.*` API hosts. */
export type ZohoEnvironment = "production" | "sandbox" | "developer";

/** Inputs for {@link resolveEndpoints}. */
export interface EndpointOptions {
  /** Default `US`. Case-insensitive when given as a string from config. */
  dataCentre?: DataCentre | undefined;
  /** Default `production`. */
  environment?: ZohoEnvironment | undefined;
  /** Explicit accounts server (emulator, proxy); wins over the data centre. */
  accountsUrl?: string | undefined;
  /** Explicit API origin (emulator, proxy); wins over everything, including the token's `api_domain`. */
  apiDomain?: string | undefined;
}

/** Where the client sends token requests and API calls. */
export interface ResolvedEndpoints {
  /** Origin of the accounts server (no trailing slash). */
  readonly accountsUrl: string;
  /** Origin of the API when known before any token answer. */
  readonly apiDomain: string;
  /**
   * True when {@link apiDomain} must be used as is; false when the token answer's `api_domain`
   * (the org's real DC) should replace it.
   */
  readonly apiDomainPinned: boolean;
}

/** Parses a data centre name from config (`eu`, `EU`, ` Eu `); throws a TypeError naming the valid ones. */
export function parseDataCentre(name: string): DataCentre {
  const key = name.trim().toUpperCase();
  if (Object.hasOwn(DATA_CENTRES, key)) return key as DataCentre;
  throw new TypeError(`unknown Zoho data centre "${name}"; expected one of ${DATA_CENTRE_NAMES.join(", ")}`);
}

/**
 * The API origin of a data centre for an environment, e.g. (`EU`, `sandbox`) →
 * `https://sandbox.zohoapis.eu`.
 */
export function apiDomainFor(dataCentre: DataCentre, environment: ZohoEnvironment = "production"): string {
  const production = DATA_CENTRES[dataCentre].apiDomain;
  return environment === "production" ? production : production.replace("://www.", `://${environment}.`);
}

/**
 * Decides the accounts server and API origin.
 *
 * Precedence for the API: explicit `apiDomain` > sandbox/developer host (a token answer names the
 * production host even for a sandbox org, so it must not override it) > the token answer's
 * `api_domain` > the data centre's production host.
 */
export function resolveEndpoints(options: EndpointOptions = {}): ResolvedEndpoints {
  const dataCentre = options.dataCentre ?? "US";
  if (!Object.hasOwn(DATA_CENTRES, dataCentre)) {
    // Reached only from untyped callers; give the same message as parseDataCentre.
    parseDataCentre(String(dataCentre));
  }
  const environment = options.environment ?? "production";
  const accountsUrl = normaliseOrigin(
    options.accountsUrl ?? DATA_CENTRES[dataCentre].accountsUrl,
    "accountsUrl",
  );
  if (options.apiDomain !== undefined) {
    return { accountsUrl, apiDomain: normaliseOrigin(options.apiDomain, "apiDomain"), apiDomainPinned: true };
  }
  return {
    accountsUrl,
    apiDomain: apiDomainFor(dataCentre, environment),
    apiDomainPinned: environment !== "production",
  };
}

/**
 * Validates an http(s) base URL and drops a trailing slash. A path is kept (a proxy may mount
 * Zoho under a prefix); query and fragment are refused since they would be lost.
 */
export function normaliseOrigin(url: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${name} is not a valid URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError(`${name} must be an http(s) URL, got ${parsed.protocol}`);
  }
  if (parsed.search !== "" || parsed.hash !== "") {
    throw new TypeError(`${name} must not carry a query string or fragment`);
  }
  return parsed.toString().replace(/\/+$/, "");
}
