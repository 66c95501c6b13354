/**
 * The benchmark's baseline: a plain script that makes the same Zoho calls as the provider, with
 * undici and the same concurrency, and nothing else: no Pulumi, no state, no validation.
 *
 *   node dist/perf/bench/baseline.js PLAN.json
 *
 * The plan names the phase and the calls to make (see {@link BaselinePlan}); the script
 * prints one JSON line, `{"requests": n, "failed": n}`, and exits 1 when any call failed.
 */
import { readFile } from "node:fs/promises";
import { Agent, request } from "undici";

/**
 * The calls the provider made in a phase, as the emulator counted them; the baseline makes the same
 * number: `lists` GETs by channel id, and `writes` POSTs (create) or PUTs (renew) that carry the N
 * channels between them, as evenly as possible.
 */
export interface CallPattern {
  lists: number;
  writes: number;
}

/** What one baseline run does. */
export interface BaselinePlan {
  /** `create`: subscribe every channel; `renew`: renew every channel; `check`: read local state only. */
  phase: "create" | "renew" | "check";
  pattern: CallPattern;
  /** Emulator base URL (accounts server and API domain). */
  url: string;
  apiVersion: string;
  concurrency: number;
  credentials: { clientId: string; clientSecret: string; refreshToken: string };
  /** Emulator clock minus real time, in ms, so expiries are in the emulator's future. */
  clockOffsetMs: number;
  /** How long each subscription lasts, in ms. */
  expiresInMs: number;
  channels: Array<{ channelId: string; events: string[]; notifyUrl: string; token: string }>;
  /** For `check`: a file holding `{channelId: expiry}`, the script's own "state". */
  stateFile?: string;
}

/** The totals the script prints. */
export interface BaselineResult {
  requests: number;
  failed: number;
}

const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

/** A FIFO semaphore: at most `limit` requests in flight. */
class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

class Baseline {
  readonly totals: BaselineResult = { requests: 0, failed: 0 };
  private readonly slots: Slots;
  private token = "";

  constructor(private readonly plan: BaselinePlan) {
    this.slots = new Slots(plan.concurrency);
  }

  async run(): Promise<void> {
    if (this.plan.phase === "check") return this.check();
    await this.fetchToken();
    const write = this.plan.phase === "create" ? "POST" : "PUT";
    const { pattern, channels } = this.plan;
    await Promise.all(
      Array.from({ length: pattern.lists }, (_, i) =>
        this.api("GET", `?channel_id=${channels[i % channels.length]?.channelId ?? ""}`),
      ),
    );
    const writes = Math.min(Math.max(pattern.writes, 0), channels.length);
    const batches = Array.from({ length: writes }, (_, i) =>
      channels.slice(
        Math.floor((i * channels.length) / writes),
        Math.floor(((i + 1) * channels.length) / writes),
      ),
    );
    await Promise.all(
      batches.map((batch) => this.api(write, "", { watch: batch.map((channel) => this.item(channel)) })),
    );
  }

  /** The script's equivalent of a no-change preview: read its state, find nothing due. */
  private async check(): Promise<void> {
    const state = JSON.parse(await readFile(this.plan.stateFile ?? "", "utf8")) as Record<string, string>;
    const now = Date.now() + this.plan.clockOffsetMs;
    const due = Object.values(state).filter((expiry) => Date.parse(expiry) - now < this.plan.expiresInMs / 2);
    if (due.length > 0) throw new Error(`${due.length} channels due`);
  }

  private item(channel: BaselinePlan["channels"][number]): Record<string, unknown> {
    const expiry = new Date(Date.now() + this.plan.clockOffsetMs + this.plan.expiresInMs - 60_000);
    return {
      channel_id: channel.channelId,
      events: channel.events,
      notify_url: channel.notifyUrl,
      token: channel.token,
      channel_expiry: expiry.toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
  }

  private async fetchToken(): Promise<void> {
    const { clientId, clientSecret, refreshToken } = this.plan.credentials;
    const query = new URLSearchParams({
      grant_type: "refresh_token",
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: refreshToken,
    });
    this.totals.requests += 1;
    const response = await request(`${this.plan.url}/oauth/v2/token?${query.toString()}`, {
      method: "POST",
      dispatcher: agent,
    });
    const body = (await response.body.json()) as { access_token?: string };
    if (!body.access_token) throw new Error("no access token");
    this.token = body.access_token;
  }

  private api(method: string, query: string, body?: unknown): Promise<unknown> {
    return this.slots.run(async () => {
      this.totals.requests += 1;
      const response = await request(`${this.plan.url}/crm/${this.plan.apiVersion}/actions/watch${query}`, {
        method: method as "GET",
        dispatcher: agent,
        headers: {
          authorization: `Zoho-oauthtoken ${this.token}`,
          ...(body !== undefined && { "content-type": "application/json" }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) this.totals.failed += 1;
      return text === "" ? null : (JSON.parse(text) as unknown);
    });
  }
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error("usage: baseline.js PLAN.json");
  const plan = JSON.parse(await readFile(file, "utf8")) as BaselinePlan;
  const baseline = new Baseline(plan);
  try {
    await baseline.run();
  } finally {
    await agent.close();
  }
  process.stdout.write(`${JSON.stringify(baseline.totals)}\n`);
  process.exitCode = baseline.totals.failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`baseline: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
