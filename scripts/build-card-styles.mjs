// Builds the stylesheet of rendered card content (style/cards.css) into the
// built site: `<site root>/pkg/cards.<hash>.css`, named by its content like
// the rest of the bundle (so browsers and the service worker may keep it for
// good), with its brotli and gzip copies beside it. The app's main stylesheet
// comes from cargo-leptos, which builds one Tailwind input; this is the
// second. The server finds the file by its name (`app/src/site_files.rs`);
// an earlier build's copy is removed first, so there is only ever one.
//
// Usage: node scripts/build-card-styles.mjs [site root, default target/site]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const repository = join(dirname(fileURLToPath(import.meta.url)), "..");
const siteRoot = resolve(process.argv[2] ?? "target/site");
const pkg = join(siteRoot, "pkg");
mkdirSync(pkg, { recursive: true });

// Tailwind's own minifier lowers the CSS for the browsers Tailwind CSS 4
// supports, the same list as `browserquery` in Cargo.toml.
// Built in a folder of its own, so that a failed run leaves nothing in the
// site that could be taken for the stylesheet.
const scratch = mkdtempSync(join(tmpdir(), "engram-cards-"));
const built = join(scratch, "cards.css");
execFileSync(
  join(repository, "node_modules/.bin/tailwindcss"),
  ["--input", join(repository, "style/cards.css"), "--output", built, "--minify"],
  { cwd: repository, stdio: ["ignore", "ignore", "inherit"] },
);
const css = readFileSync(built);
rmSync(scratch, { recursive: true });

for (const name of readdirSync(pkg)) {
  if (/^cards\.[A-Za-z0-9_-]{22}\.css(\.br|\.gz)?$/.test(name)) rmSync(join(pkg, name));
}
// 22 characters of URL-safe base64, as cargo-leptos names the bundle's files
// (the service worker's precache leaves names of that form as they are).
const hash = createHash("sha256").update(css).digest("base64url").slice(0, 22);
const name = `cards.${hash}.css`;
writeFileSync(join(pkg, name), css);
writeFileSync(join(pkg, `${name}.br`), brotliCompressSync(css, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
writeFileSync(join(pkg, `${name}.gz`), gzipSync(css, { level: 9 }));
console.log(`${name}: ${css.length} bytes`);
