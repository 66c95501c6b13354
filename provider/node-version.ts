/**
 * Fails fast, and clearly, on a Node.js too old for this package.
 *
 * undici 8 (the HTTP client) needs Node >= 22.19 and @pulumi/pulumi needs Node >= 22. On an older Node
 * they die while loading with errors that name neither Node nor a version (on Node 20 undici throws
 * `TypeError: Cannot read properties of undefined (reading 'bind')`). Every entry point of the package
 * (the library, `pulumi-zoho-watch/emulator`, `pulumi-zoho-watch/receiver` and the
 * `zoho-crm-emulator` bin) imports this module first, so the check runs before any dependency loads.
 * It uses nothing but `process`, so it runs on any Node.
 */

/** The oldest Node.js this package runs on, as in package.json's `engines.node`. */
export const MIN_NODE_VERSION = "22.19.0";

/** Whether `version` ("22.19.0" or "v22.19.0") is at least {@link MIN_NODE_VERSION}. */
export function isSupportedNodeVersion(version: string): boolean {
  const have = version.replace(/^v/, "").split(".").map(Number);
  const want = MIN_NODE_VERSION.split(".").map(Number);
  for (let i = 0; i < want.length; i++) {
    const a = have[i] ?? 0;
    const b = want[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** The error for an unsupported Node.js: what is needed, what runs, and what to do. */
export function unsupportedNodeMessage(version: string): string {
  return (
    `pulumi-zoho-watch needs Node.js >= ${MIN_NODE_VERSION} (this is ${version.replace(/^v/, "")}, ` +
    `at ${process.execPath}): its dependencies undici and @pulumi/pulumi do not load on older versions. ` +
    `Install Node.js 22 or 24 (https://nodejs.org) and make sure it comes first on PATH, ` +
    `where the Pulumi CLI starts \`node\` too.`
  );
}

if (!isSupportedNodeVersion(process.versions.node)) {
  const error = new Error(unsupportedNodeMessage(process.versions.node));
  error.name = "UnsupportedNodeVersionError";
  throw error;
}
