// The repo lints itself (`pnpm lint`): typescript-eslint's strict preset everywhere, archlint's own
// preset on the packages' sources. `pnpm lint` builds first: the preset comes from dist.
//
// Not named eslint.config.mjs on purpose: ESLint and the archlint CLI look for that name from a
// linted file upwards, so the fixtures under fixtures/ and tests/.tmp (projects without a config
// of their own, linted by `pnpm demo` and the CLI tests) would pick up this one instead of
// archlint's zero-config setup. Editors: point ESLint at it (VS Code: "eslint.options":
// { "overrideConfigFile": "eslint.repo.config.mjs" }).
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";
import archlint from "eslint-plugin-archlint";

export default defineConfig([
  globalIgnores([
    "**/dist/**",
    "**/node_modules/**",
    "**/*.d.ts",
    ".tarballs/**",
    "coverage/**",
    "fixtures/**",
    "packages/*/tests/fixtures/**",
    "bench/**/.generated/**",
    "bench/**/.generated-edit/**",
    "bench/precision/.repos/**",
    "tests/.tmp/**",
  ]),
  {
    files: ["**/*.{ts,mts,cts,js,mjs,cjs}"],
    extends: [tseslint.configs.strict],
    rules: {
      // `list[i]!` / `map.get(key)!` after a check TypeScript cannot follow is this codebase's idiom (300+ sites, most in tests).
      "@typescript-eslint/no-non-null-assertion": "off",
      // `const { dropped: _dropped, ...rest } = x` is how an object is copied without a key.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
      // A `let` read by closures written before its one assignment (the wasm glue) cannot be a `const`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // CommonJS files (preloaded with `node --require`) can only `require`.
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["packages/*/src/**/*.ts"],
    extends: [archlint.configs.recommended],
  },
]);
