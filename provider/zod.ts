/**
 * zod, as this package uses it: every module of provider/ and cli/ imports `z` from here, never from
 * "zod" itself. Add a name here when a module needs one more.
 *
 * Why: zod required as CommonJS loads all of itself, 95 files, 65 of them locales, about 40 ms of
 * every provider process's start (each preview and each update starts one) and of a receiver's.
 * The build (`scripts/bundle-zod.ts`) replaces this module's compiled form with one file that holds
 * only what is named below, taken from zod's ES modules, which esbuild can trim. Every other module
 * ships once, as tsc compiled it. Types come from zod's own declarations, so `z.infer` and friends
 * are zod's.
 */
export {
  array,
  bigint,
  boolean,
  custom,
  enum,
  lazy,
  literal,
  looseObject,
  NEVER,
  null,
  number,
  object,
  record,
  strictObject,
  string,
  tuple,
  union,
  unknown,
  ZodError,
  ZodType,
} from "zod";
export type { core, infer, input, output } from "zod";
