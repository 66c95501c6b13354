/**
 * `WatchChannel`: one Zoho CRM watch channel, declared in a Pulumi program.
 */
import * as pulumi from "@pulumi/pulumi";
import type { NotificationCondition } from "../../zoho/schemas";
import { deriveChannelId } from "../../channel/channel-id";
import { WATCH_CHANNEL_TYPE } from "../../channel/resource-type";
import type { SubscribedModule } from "../../channel/diff";
import { urlHoldsCredentials } from "../../channel/notify-url";
import type { InputName, KeysMatch } from "../../channel/model";
import { programProvider } from "./provider";

/** The arguments of a {@link WatchChannel}. */
export interface WatchChannelArgs {
  /** Events to subscribe, `"<Module>.<create|edit|delete|all>"`, e.g. `["Deals.all", "Contacts.create"]`. */
  events: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Where Zoho POSTs notifications (http or https, at most 255 characters). A URL holding
   * credentials (user info or a query string) is stored as a secret.
   */
  notifyUrl: pulumi.Input<string>;
  /** Verification token echoed in every notification (at most 50 characters). Always a secret. */
  token?: pulumi.Input<string | undefined>;
  /**
   * The Zoho channel id, a decimal string (ids exceed 2^53: never pass a JS number). When omitted, a
   * stable id is derived from the organization, project, stack and resource name.
   */
  channelId?: pulumi.Input<string>;
  /** How long each subscription lasts, ISO-8601 (`"P7D"`). Default and maximum: 7 days from API v4, 1 day before. */
  expiresIn?: pulumi.Input<string>;
  /**
   * The renewal window, ISO-8601 (`"P3DT12H"`): once the channel expires within it, `pulumi preview`
   * shows a replacement and `pulumi up` renews it. Default: half of `expiresIn`. Schedule `pulumi up`
   * more often than this.
   */
  renewBefore?: pulumi.Input<string>;
  /**
   * Also notify on related actions (Zoho's `notify_on_related_action`). Sent on every write. Default:
   * Zoho's documented default for the stack's API version, `false` on v2 and v2.1, `true` from v3
   * (so leaving it out behaves as Zoho does on that version, and as channels written before it was
   * always sent already do); set it to pin the behaviour across versions.
   */
  notifyOnRelatedAction?: pulumi.Input<boolean>;
  /** Include changed field values in notifications (API v3+). */
  returnAffectedFieldValues?: pulumi.Input<boolean>;
  /** Notify only when these fields change (API v6+). */
  notificationCondition?: pulumi.Input<NotificationCondition[]>;
  /**
   * Take over a live channel with this `channelId` even though its details differ from this
   * declaration (the stand-in for `pulumi import`, which dynamic resources cannot offer). Without
   * it, creating a resource for a live channel that this stack does not manage fails, naming what
   * differs, so that no stack silently takes over another's channel. Only read when the resource is
   * created; `npx zoho-watch adopt` prints declarations for an org's unmanaged channels.
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * Accept a plain-http `notifyUrl` to a host other than this machine. Refused by default: Zoho
   * would send every notification, the verification token included, unencrypted. Plain http to a
   * loopback host (localhost, 127.0.0.1, ::1) is always accepted. A stack whose state already holds
   * such a URL keeps renewing it, with a warning, until the URL changes.
   */
  allowPlainHttp?: pulumi.Input<boolean>;
  /**
   * A named connection from the structured config `zoho-watch:connections` (another org, data
   * centre or API version); the unnamed `zoho-watch:*` settings when left out. State holds only the
   * name. Changing it replaces the channel: subscribed through the new connection first.
   */
  connection?: pulumi.Input<string>;
}

/** The model (channel/model.ts) and these arguments name the same inputs, or this fails to compile. */
const argsMatchModel: KeysMatch<keyof WatchChannelArgs, InputName> = true;
void argsMatchModel;

export { WATCH_CHANNEL_TYPE };

/**
 * A Zoho CRM watch channel kept subscribed by `pulumi up`.
 *
 * Changes to events, URL, token or options update the channel in place; a new `channelId` replaces
 * it; a channel inside its renewal window (or expired) is replaced by a renewed one with the same id,
 * without a moment unsubscribed. Creating a resource for a channel id that is already live in Zoho
 * takes it over only when its details already match, or with `adopt: true`.
 */
export class WatchChannel extends pulumi.dynamic.Resource {
  declare readonly channelId: pulumi.Output<string>;
  declare readonly events: pulumi.Output<string[]>;
  declare readonly notifyUrl: pulumi.Output<string>;
  declare readonly token: pulumi.Output<string | undefined>;
  declare readonly expiresIn: pulumi.Output<string>;
  declare readonly renewBefore: pulumi.Output<string>;
  /** The value sent to Zoho: the declared one, or the version's default (see the input). */
  declare readonly notifyOnRelatedAction: pulumi.Output<boolean>;
  declare readonly returnAffectedFieldValues: pulumi.Output<boolean | undefined>;
  declare readonly notificationCondition: pulumi.Output<NotificationCondition[] | undefined>;
  /** The live expiry as Zoho returned it, in the org's offset. */
  declare readonly channelExpiry: pulumi.Output<string>;
  /** The API version the channel was written with (`zoho-watch:apiVersion`). */
  declare readonly apiVersion: pulumi.Output<string>;
  /** The subscribed modules with Zoho's resource ids and URIs. */
  declare readonly modules: pulumi.Output<SubscribedModule[]>;

  constructor(name: string, args: WatchChannelArgs, opts?: pulumi.CustomResourceOptions) {
    refuseOptionsThatBreakRenewal(name, opts);
    const channelId =
      args.channelId ??
      deriveChannelId({
        organization: pulumi.getOrganization(),
        project: pulumi.getProject(),
        stack: pulumi.getStack(),
        name,
      });
    claimChannelId(name, channelId);
    super(
      programProvider(),
      name,
      {
        // The SDK fills only the outputs whose keys it is given here, so the three that check gives
        // a default are listed even when the declaration leaves them out (undefined inputs are
        // not sent). The two options without a default are set after super, below.
        expiresIn: undefined,
        renewBefore: undefined,
        notifyOnRelatedAction: undefined,
        ...args,
        channelId,
        token: args.token === undefined ? undefined : pulumi.secret(args.token),
        notifyUrl: secretIfCredentials(args.notifyUrl),
        channelExpiry: undefined,
        apiVersion: undefined,
        modules: undefined,
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "token"] },
      "zoho",
      "WatchChannel",
    );
    // An option the declaration leaves out stays unset in state (check gives it no default), so
    // its output is undefined, known without the engine. Not passing its key to the SDK saves
    // what the SDK spends on every key of every resource (four stack traces, about 0.3 ms: see
    // BENCHMARKS.md); the output still depends on this resource, like the others.
    let unset: pulumi.Output<undefined> | undefined;
    for (const key of OPTIONS_WITHOUT_DEFAULT) {
      if (args[key] !== undefined) continue;
      unset ??= this.urn.apply(() => undefined);
      Object.defineProperty(this, key, { value: unset, enumerable: true });
    }
  }
}

/** The notify URL, made a secret when it holds credentials; a plain string stays plain (cheaper to send). */
function secretIfCredentials(notifyUrl: pulumi.Input<string>): pulumi.Input<string> {
  if (typeof notifyUrl === "string")
    return urlHoldsCredentials(notifyUrl) ? pulumi.secret(notifyUrl) : notifyUrl;
  return pulumi
    .output(notifyUrl)
    .apply((url) => (urlHoldsCredentials(url) ? pulumi.secret(url) : pulumi.output(url)));
}

/** The options whose outputs are undefined when left out. */
const OPTIONS_WITHOUT_DEFAULT = [
  "returnAffectedFieldValues",
  "notificationCondition",
] as const satisfies readonly (keyof WatchChannelArgs & keyof WatchChannel)[];

/**
 * A renewal is a replacement, so two resource options break it: `protect` makes the engine refuse
 * every renewal, and `deleteBeforeReplace` disables the channel before subscribing it again (a gap
 * in which notifications are lost). Refused here, before anything runs.
 */
function refuseOptionsThatBreakRenewal(name: string, opts: pulumi.CustomResourceOptions | undefined): void {
  if (opts?.protect === true) {
    throw new Error(
      `WatchChannel "${name}": protect: true would make every renewal fail (a renewal replaces the resource, and Pulumi refuses to replace a protected one). ` +
        `To keep the channel subscribed when the resource leaves the program or the stack is destroyed, use retainOnDelete: true instead.`,
    );
  }
  if (opts?.deleteBeforeReplace === true) {
    throw new Error(
      `WatchChannel "${name}": deleteBeforeReplace: true would disable the channel before each renewal subscribes it again, losing the notifications in between. ` +
        `Leave it out: renewals subscribe the replacement first and never unsubscribe the channel.`,
    );
  }
}

/**
 * The channel ids declared so far in this program run, per run: keyed by the run's stack resource,
 * so an automation-API process that runs several programs does not mix them.
 */
const declaredByRun = new WeakMap<object, Map<string, string>>();

/**
 * Fails when two resources of one program declare the same channel id: Zoho would merge both into
 * one channel. Known ids are checked at once, before anything is registered; an id given as an
 * Output when it resolves. (The provider's `check` cannot do it: the engine checks a resource again
 * when it replaces it, which looks the same as a second resource with the id.)
 */
function claimChannelId(name: string, channelId: pulumi.Input<string>): void {
  const run = pulumi.runtime.getStackResource();
  if (!run) return;
  const claim = (id: string): void => {
    const declared = declaredByRun.get(run) ?? new Map<string, string>();
    declaredByRun.set(run, declared);
    const other = declared.get(id);
    if (other !== undefined && other !== name) {
      throw new Error(
        `WatchChannel "${name}" and WatchChannel "${other}" both declare channel ${id}; Zoho would merge them into one channel. ` +
          `Give each its own channelId, or leave channelId out to derive one per resource.`,
      );
    }
    declared.set(id, name);
  };
  if (typeof channelId === "string") claim(channelId);
  else pulumi.output(channelId).apply((id) => (typeof id === "string" ? claim(id) : undefined));
}
