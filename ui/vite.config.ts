import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { fileURLToPath } from "node:url";

const real = fileURLToPath(new URL("./src/lib/backend.ts", import.meta.url));
const mock = fileURLToPath(
  new URL("./src/lib/backend.mock.ts", import.meta.url),
);

/**
 * The one place that picks the backend: `--mode mock` and the tests get the
 * in-memory mock in place of src/lib/backend.ts; every other build gets the
 * real Tauri one, so a production bundle holds no mock code.
 */
function backendSwitch(useMock: boolean): Plugin {
  return {
    name: "latchkey-backend",
    enforce: "pre",
    async resolveId(source, importer, options) {
      // The mock itself, and the test of the real module, import the real thing.
      if (
        !useMock ||
        !importer ||
        importer === mock ||
        importer.endsWith("backend.test.ts")
      )
        return null;
      const resolved = await this.resolve(source, importer, {
        ...options,
        skipSelf: true,
      });
      return resolved?.id === real ? mock : null;
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [svelte(), backendSwitch(mode === "mock" || mode === "test")],
  base: "./",
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: "dist",
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: true,
  },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "jsdom",
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/setup.ts"],
  },
}));
