import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "rtl-out/**"] },
  js.configs.recommended,
  { languageOptions: { globals: globals.node } },
  // The sweep explorer's page script runs in a browser, with Vega inline before it.
  {
    files: ["templates/explorer/*.js"],
    languageOptions: { globals: { ...globals.browser, vega: "readonly" } },
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: "error",
      "no-console": "off",
    },
  },
);
