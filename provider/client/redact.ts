/**
 * Keeping secrets out of error messages, stacks and logs.
 *
 * What counts as secret here: the OAuth client secret and refresh token, every access token the
 * client has held, every channel `token` it has sent or read, and credentials a notify URL may
 * carry (`user:pass@` or query-string values — Zoho's own docs put an auth token in a notify URL's
 * query string). A {@link Redactor} remembers the exact values it was told about and also masks
 * the shapes that look like credentials whatever their value (Zoho access/refresh tokens,
 * `Zoho-oauthtoken …` headers, URL userinfo and query values).
 */

/** What a masked value is replaced with. */
export const REDACTED = "[REDACTED]";

// Values shorter than this are not replaced inside free text: masking every "a" in a message would
// make errors unreadable while protecting nothing (such a short secret is guessable anyway). They
// are still masked wherever they appear as a whole value under a secret-looking key.
const MIN_SECRET_LENGTH = 4;

// Zoho access and refresh tokens look like `1000.<hex>.<hex>`.
const ZOHO_TOKEN_PATTERN = /\b\d{4}\.[0-9a-f]{16,}\.[0-9a-f]{16,}\b/gi;
const AUTH_HEADER_PATTERN = /(Zoho-oauthtoken|Bearer)\s+[^\s"',;]+/gi;
// Any absolute URL inside free text, so its userinfo and query values can be masked.
const URL_IN_TEXT_PATTERN = /\bhttps?:\/\/[^\s"'<>]+/gi;
// Keys whose string values are secret whatever they hold.
const SECRET_KEY_PATTERN = /token|secret|password|passwd|authorization|api[_-]?key|credential/i;
// Keys holding URLs that may carry credentials.
const URL_KEY_PATTERN = /url|uri/i;

/**
 * Masks the credentials a URL may carry: userinfo (`user:pass@`) and every query-string value
 * (names are kept so the URL stays recognisable). Text that is not a URL is returned unchanged.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username !== "" || parsed.password !== "") {
    parsed.username = "REDACTED";
    parsed.password = "";
  }
  const names = [...new Set(parsed.searchParams.keys())];
  if (names.length > 0) {
    // Build the query by hand: URLSearchParams would percent-encode the brackets of the marker.
    parsed.search = "";
    const query = names.map((name) => `${encodeURIComponent(name)}=${REDACTED}`).join("&");
    return `${parsed.toString().replace(/\?$/, "")}?${query}`;
  }
  return parsed.toString();
}

/** The parts of a URL that must never be shown: userinfo and query values, raw and decoded. */
function urlSecrets(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const found = [parsed.username, parsed.password, decodeSafe(parsed.username), decodeSafe(parsed.password)];
  for (const [, value] of parsed.searchParams) {
    found.push(value, encodeURIComponent(value));
  }
  return found;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Remembers secret values and masks them wherever text or data could reach an error.
 *
 * A client owns one long-lived redactor (credentials, access tokens); each operation derives a
 * {@link Redactor.child} that also knows the channel tokens and notify URLs of that request.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(private readonly parent?: Redactor) {}

  /** Registers exact secret values (empty and missing values are ignored). */
  add(...values: ReadonlyArray<string | null | undefined>): this {
    for (const value of values) {
      if (typeof value === "string" && value.length > 0) {
        this.secrets.add(value);
      }
    }
    return this;
  }

  /** Registers the credentials a URL may carry (userinfo, query values). */
  addUrl(url: string | null | undefined): this {
    if (typeof url === "string") {
      this.add(...urlSecrets(url));
    }
    return this;
  }

  /** A redactor that knows this one's secrets plus its own (for one request). */
  child(): Redactor {
    return new Redactor(this);
  }

  private allSecrets(): string[] {
    const all = this.parent ? this.parent.allSecrets() : [];
    all.push(...this.secrets);
    return all;
  }

  /** Masks every known secret and every credential-shaped substring in `text`. */
  text(text: string): string {
    // Longest first, so a secret that contains another is masked whole.
    const secrets = this.allSecrets()
      .filter((s) => s.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of secrets) {
      out = out.split(secret).join(REDACTED);
    }
    return out
      .replace(URL_IN_TEXT_PATTERN, (url) => redactUrl(url))
      .replace(AUTH_HEADER_PATTERN, (_m, scheme: string) => `${scheme} ${REDACTED}`)
      .replace(ZOHO_TOKEN_PATTERN, REDACTED);
  }

  /**
   * A deep copy of `value` that is safe to show: strings under secret-looking keys are masked,
   * URLs under URL-looking keys lose their credentials, every other string goes through
   * {@link Redactor.text}.
   */
  value(value: unknown, key = ""): unknown {
    if (typeof value === "string") {
      if (SECRET_KEY_PATTERN.test(key)) return REDACTED;
      if (URL_KEY_PATTERN.test(key)) return this.text(redactUrl(value));
      return this.text(value);
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.value(item, key));
    }
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] = this.value(v, k);
      }
      return out;
    }
    return value;
  }
}
