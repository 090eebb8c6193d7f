import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", "lib/generated/**", "next-env.d.ts", "tmp/**", "tmp-*"] },
  {
    rules: {
      // Code reads the validated env (lib/env.ts), never process.env directly.
      "no-restricted-syntax": "off",
      // `_name` marks a value left out on purpose (e.g. `({ at: _at, ...rest }) => rest`).
      "@typescript-eslint/no-unused-vars": ["warn", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
];

export default config;
