import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as z from "zod";
import type { NotificationBody } from "../control/contract";
import { storedConditionSchema } from "../zoho/notification-condition";
import { DEFAULT_ORG_ID, DEFAULT_ORG_NAME } from "../shared/options";

/**
 * The `stateFile` option: everything a restart must not forget (each org's channels and timeline,
 * the orgs added at run time, clock offset, deliveries and tokens), as one JSON file replaced
 * atomically on every change. A file of the single-org format (v1) is read as the default org's.
 */

const FORMAT = "zoho-crm-emulator/state-v2";
const FORMAT_V1 = "zoho-crm-emulator/state-v1";

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

const timelineSchema = z.record(z.string(), z.record(z.string(), z.array(intervalSchema)));

const tokensSchema = z.object({
  accessTokens: z.array(
    z.object({ token: z.string(), issuedAt: z.number(), expiresAt: z.number(), orgId: z.string() }),
  ),
  revokedOrgIds: z.array(z.string()),
  grantTimes: z.array(z.number()),
});

const orgSchema = z.object({
  id: z.string(),
  companyName: z.string(),
  /** Only for orgs added through the control API (the options give the others'). */
  credentials: z
    .object({ clientId: z.string(), clientSecret: z.string(), refreshToken: z.string() })
    .optional(),
  channels: z.array(channelSchema),
  timeline: timelineSchema,
});

const storedStateSchema = z.object({
  format: z.literal(FORMAT),
  clockOffsetMs: z.number(),
  orgs: z.array(orgSchema),
  deliveries: z.array(deliverySchema),
  tokens: tokensSchema,
});

/** The one-org format: its channels, timeline and tokens are the default org's. */
const storedStateV1Schema = z
  .object({
    format: z.literal(FORMAT_V1),
    clockOffsetMs: z.number(),
    channels: z.array(channelSchema),
    timeline: timelineSchema,
    deliveries: z.array(deliverySchema),
    tokens: z.object({
      accessTokens: z.array(z.object({ token: z.string(), issuedAt: z.number(), expiresAt: z.number() })),
      refreshTokenRevoked: z.boolean(),
      grantTimes: z.array(z.number()),
    }),
  })
  .transform((v1): z.infer<typeof storedStateSchema> => ({
    format: FORMAT,
    clockOffsetMs: v1.clockOffsetMs,
    orgs: [
      { id: DEFAULT_ORG_ID, companyName: DEFAULT_ORG_NAME, channels: v1.channels, timeline: v1.timeline },
    ],
    deliveries: v1.deliveries,
    tokens: {
      accessTokens: v1.tokens.accessTokens.map((token) => ({ ...token, orgId: DEFAULT_ORG_ID })),
      revokedOrgIds: v1.tokens.refreshTokenRevoked ? [DEFAULT_ORG_ID] : [],
      grantTimes: v1.tokens.grantTimes,
    },
  }));

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
  const result = z.union([storedStateSchema, storedStateV1Schema]).safeParse(parsed);
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
