/**
 * A WatchChannel's properties as the policies read them.
 *
 * Resource policies get the channel's inputs after the provider's `check` (so `expiresIn` and
 * `renewBefore` normally hold their defaults); stack policies get its outputs. During a preview some
 * values can still be unknown (they come from resources not created yet), and @pulumi/policy throws
 * `UnknownValueError` when one is read. Each read below turns that into {@link UNKNOWN} so a rule
 * can skip the value instead of failing the preview: the engine runs the rules again with the real
 * values during `pulumi up`, before the channel is created or changed.
 */
import * as policy from "@pulumi/policy";
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { WATCH_CHANNEL_TYPE, WATCH_CHANNEL_TYPES } from "../provider/channel/resource-type";

/**
 * The error @pulumi/policy's property proxy throws for an unknown value. The package exports it
 * (its own server tells it apart with `instanceof`), but marks it @internal, so the published
 * declarations leave its type out: typed here by hand.
 */
const { UnknownValueError } = policy as unknown as { UnknownValueError: new (...args: never[]) => Error };

/** A value a preview cannot know yet. */
export const UNKNOWN = Symbol("unknown until the update");

/** A property as read: its value, {@link UNKNOWN}, or undefined when absent (or not of the expected type). */
export type Read<T> = T | typeof UNKNOWN | undefined;

/** The properties of a WatchChannel the rules look at. Tokens arrive decrypted. */
export interface ChannelView {
  channelId: Read<string>;
  events: Read<Read<string>[]>;
  notifyUrl: Read<string>;
  token: Read<string>;
  expiresIn: Read<string>;
  renewBefore: Read<string>;
}

/** True for a WatchChannel, whichever door declares it: the dynamic resource or the plugin's. */
export function isWatchChannel(type: string): boolean {
  return WATCH_CHANNEL_TYPES.includes(type);
}

/** True for the dynamic WatchChannel only, whose renewal is a replacement (the plugin's is an update). */
export function isDynamicWatchChannel(type: string): boolean {
  return type === WATCH_CHANNEL_TYPE;
}

/** Reads a WatchChannel's properties, marking unknown ones instead of throwing. */
export function readChannel(props: Record<string, unknown>): ChannelView {
  return {
    channelId: readString(props, "channelId"),
    events: readStringList(props, "events"),
    notifyUrl: readString(props, "notifyUrl"),
    token: readString(props, "token"),
    expiresIn: readString(props, "expiresIn"),
    renewBefore: readString(props, "renewBefore"),
  };
}

/** A resource validation that runs only for WatchChannels, on their properties as read here. */
export function validateChannel(
  validate: (channel: ChannelView, args: ResourceValidationArgs, reportViolation: ReportViolation) => void,
): ResourceValidation {
  return (args, reportViolation) => {
    if (isWatchChannel(args.type)) {
      validate(readChannel(args.props), args, reportViolation);
    }
  };
}

/** Reads `source[key]`, giving {@link UNKNOWN} for a value the preview cannot know. */
export function readProperty(source: object, key: string | number): unknown {
  try {
    return (source as Record<string | number, unknown>)[key];
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
}

function readString(source: object, key: string | number): Read<string> {
  const value = readProperty(source, key);
  return value === UNKNOWN || typeof value === "string" ? value : undefined;
}

function readStringList(source: object, key: string): Read<Read<string>[]> {
  const value = readProperty(source, key);
  if (value === UNKNOWN || !Array.isArray(value)) return value === UNKNOWN ? UNKNOWN : undefined;
  // Index by index: an unknown element must not hide the known ones.
  return Array.from({ length: value.length }, (_, i) => readString(value, i));
}
