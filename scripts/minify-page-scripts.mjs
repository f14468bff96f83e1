// Minifies the pages' own scripts in the built site (public/*.js, copied
// there by the release build), with Terser, and writes their brotli and
// gzip copies again beside them. The catalogue's search box
// (catalogue-search.js) comes with every visit to the catalogue, signed out
// or in, where every byte counts against the first visit's budget: minified,
// it is 972 bytes as served (the server compresses it per request) instead
// of about 1,900. The sources in public/ stay readable, with their comments.
//
// Usage: node scripts/minify-page-scripts.mjs [site root, default target/site]
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { minify } from "terser";

const siteRoot = process.argv[2] ?? "target/site";
// Scripts the pages load by name (the service worker's own files are
// written by Workbox, and the app's JavaScript by wasm-bindgen).
const PAGE_SCRIPTS = ["catalogue-search.js"];

for (const name of PAGE_SCRIPTS) {
  const path = `${siteRoot}/${name}`;
  const source = readFileSync(path, "utf8");
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  if (!code) throw new Error(`Terser gave nothing for ${path}`);
  writeFileSync(path, code);
  writeFileSync(`${path}.br`, brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(`${path}.gz`, gzipSync(code, { level: 9 }));
  console.log(`${name}: ${source.length} bytes, ${code.length} minified`);
}
