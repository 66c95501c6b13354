// Lint config: typescript-eslint's type-aware recommended rules over the TypeScript sources.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "**/node_modules/**",
      ".toolchain/**",
      ".pulumi-home/**",
      ".state/**",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // The serialized dynamic provider must load its implementation by package name at run time
      // (provider/pulumi/dynamic/provider.ts). A few modules load on first use to keep process start
      // light: the provider's implementation (provider-runtime.ts), undici (provider/client/http.ts),
      // and the main entry's client and receiver (provider/index.ts). Every other import stays an
      // ES import.
      "@typescript-eslint/no-require-imports": [
        "error",
        {
          allow: [
            "^pulumi-zoho-watch/",
            "^undici$",
            "^\\./provider-process$",
            "^\\./client/client$",
            "^\\./receiver/verify-notification$",
          ],
        },
      ],
    },
  },
  // The provider's folders and what each may import (provider/README.md). Patterns match the import
  // as written, so each says which relative paths may leave the folder. typescript-eslint's form of
  // eslint's rule, for its one addition: `allowTypeImports` (the channel model names two of the
  // client's answer types).
  ...boundaries([
    {
      files: ["provider/zoho/**/*.ts"],
      why: "provider/zoho holds Zoho's facts: it imports nothing of provider/ outside itself",
      regex: "^\\.\\./",
    },
    {
      files: ["provider/client/**/*.ts"],
      why: "provider/client imports only provider/zoho",
      regex: "^\\.\\./(?!zoho/)",
    },
    {
      files: ["provider/channel/**/*.ts"],
      why: "provider/channel is the pure model: it imports provider/zoho, and only types of provider/client",
      regex: "^\\.\\./(?!zoho/|client/)",
      typesOnly: "^\\.\\./client/",
    },
    {
      files: ["provider/engine/**/*.ts"],
      why: "provider/engine runs over zoho, client and channel, never a Pulumi door",
      regex: "^\\.\\./(?!zoho/|client/|channel/)",
    },
    {
      files: ["emulator/**/*.ts"],
      why: "the emulator is an independent implementation of Zoho: of provider/ it imports only node-version",
      regex: "(^|/)provider(/(?!node-version$)|$)",
    },
    {
      files: ["cli/**/*.ts", "policy/**/*.ts"],
      why: "the CLI and the policy pack use the model, facts, client and engine, never a Pulumi door",
      regex: "(^|/)provider/pulumi(/|$)",
    },
  ]),
);

/** One `no-restricted-imports` block per folder (a later block for the same files would replace it). */
function boundaries(rules) {
  return rules.map(({ files, why, regex, typesOnly }) => ({
    files,
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex, message: why },
            ...(typesOnly ? [{ regex: typesOnly, allowTypeImports: true, message: why }] : []),
          ],
        },
      ],
    },
  }));
}
