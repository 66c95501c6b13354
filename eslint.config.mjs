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
);
