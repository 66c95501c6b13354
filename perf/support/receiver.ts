/**
 * A notification receiver on 127.0.0.1 (the emulator delivers only to loopback) that keeps what a
 * continuity check needs of each notification: which channel, which path, which token. A view over
 * the tests' {@link Receiver}, which does the listening.
 */
import { Receiver, type Received } from "../../harness/emulator";

/** One notification as received. */
export interface ReceivedNotification {
  path: string;
  channelId: string;
  token: string | null;
  module: string;
  operation: string;
  ids: string[];
}

/** Records every POST; answers 200 at once, as a receiver should. */
export class CountingReceiver {
  private constructor(private readonly inner: Receiver) {}

  static async start(): Promise<CountingReceiver> {
    return new CountingReceiver(await Receiver.start());
  }

  get url(): string {
    return this.inner.url;
  }

  /** Every notification so far, oldest first. */
  get received(): ReceivedNotification[] {
    return this.inner.received.map(toNotification);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function toNotification({ path, body }: Received): ReceivedNotification {
  const asText = (value: unknown): string => (typeof value === "string" ? value : "");
  return {
    path,
    channelId: asText(body.channel_id),
    token: typeof body.token === "string" ? body.token : null,
    module: asText(body.module),
    operation: asText(body.operation),
    ids: Array.isArray(body.ids) ? body.ids.map(String) : [],
  };
}
