/**
 * Stable path for the module catalogue facts (they live in shared/modules.ts): tests outside the
 * emulator compare the provider's fact table against this module, so its path and names stay put.
 */
export * from "./shared/modules";
