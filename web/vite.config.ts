/**
 * Builds the web view (web/src) into web/dist, which the API role serves at `/`. Preact through esbuild's
 * automatic JSX runtime, so no framework plugin is needed; asset paths are relative, so the page works under
 * any mount point.
 */
import { fileURLToPath } from "node:url"
import { defineConfig } from "vite"

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    reportCompressedSize: true
  }
})
