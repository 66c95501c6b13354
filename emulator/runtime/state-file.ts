import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as z from "zod";
import type { NotificationBody } from "../control/contract";
import { storedConditionSchema } from "../zoho/notification-condition";

/**
 * The `stateFile` option: everything a restart must not forget (channels, clock offset, timeline,
 * deliveries and tokens), as one JSON file replaced atomically on every change.
 */

const FORMAT = "zoho-crm-emulator/state-v1";

/** Owner read/write only: the file holds access tokens and channel tokens. */
export const STATE_FILE_MODE = 0o600;

const channelSchema = z.object({
  channelId: z.string(),
  events: z.array(z.string()),
  notifyUrl: z.string(),
  token: z.string().nullable(),
  expiresAt: z.number(),
  notifyOnRelatedAction: z.boolean(),
  returnAffectedFieldValues: z.boolean(),
  notificationCondition: z.array(storedConditionSchema).nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const intervalSchema = z.object({ from: z.number(), endedAt: z.number().nullable(), expiresAt: z.number() });

const deliverySchema = z.object({
  channelId: z.string(),
  url: z.string(),
  status: z.union([z.number(), z.string()]),
  delivered: z.boolean(),
  at: z.string(),
  body: z.custom<NotificationBody>((value) => typeof value === "object" && value !== null),
});

const tokensSchema = z.object({
  accessTokens: z.array(z.object({ token: z.string(), issuedAt: z.number(), expiresAt: z.number() })),
  refreshTokenRevoked: z.boolean(),
  grantTimes: z.array(z.number()),
});

const storedStateSchema = z.object({
  format: z.literal(FORMAT),
  clockOffsetMs: z.number(),
  channels: z.array(channelSchema),
  timeline: z.record(z.string(), z.record(z.string(), z.array(intervalSchema))),
  deliveries: z.array(deliverySchema),
  tokens: tokensSchema,
});

export type StoredState = Omit<z.infer<typeof storedStateSchema>, "format">;

/** The stored state, or undefined when the file does not exist yet; throws when it is not ours. */
export function loadState(file: string): StoredState | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`state file ${file} is not JSON; move it away or pass another --state`);
  }
  const result = storedStateSchema.safeParse(parsed);
  if (!result.success) {
    throw new Error(`state file ${file} is not an emulator state:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/**
 * Writes the state atomically: a reader (or a crash) sees the old file or the new one, never half of
 * one. The file is created with mode 0600 (the rename replaces any older, wider-open file).
 */
export function saveState(file: string, state: StoredState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ format: FORMAT, ...state }, null, 2) + "\n", {
    mode: STATE_FILE_MODE,
  });
  // `mode` only applies when the file is created: a temporary file left by a crash keeps its own.
  chmodSync(temporary, STATE_FILE_MODE);
  renameSync(temporary, file);
}
