/**
 * Stable path for the API-version facts (they live in shared/api-versions.ts): tests outside the
 * emulator compare the provider's fact table against this module, so its path and names stay put.
 */
export * from "./shared/api-versions";
