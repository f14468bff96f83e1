# Sourced by the benchmark scripts (bench-load, bench-instructions,
# bench-reviews, bench-study-paint, bench-pwa): what they all do alike.

# session_cookie ADDR EMAIL PASSWORD: logs in on the server at ADDR and
# prints the session's cookie, as `engram_session=…`.
session_cookie() {
  local jar
  jar=$(mktemp)
  curl -sf -c "$jar" -o /dev/null -H 'Accept: application/json' -H "Origin: http://$1" \
    --data "input[email]=$2&input[password]=$3" "http://$1/api/login"
  echo "engram_session=$(awk '$6 == "engram_session" { print $7 }' "$jar")"
  rm -f "$jar"
}

# write_readme_block SCRIPT TEXT: puts TEXT between the README's markers for
# scripts/SCRIPT, so that the README's figures are the script's output,
# never typed by hand. A run against a build kept elsewhere (BENCH_SERVER)
# only prints, unless BENCH_README=1 says that build is this commit's.
write_readme_block() {
  if [ -n "${BENCH_SERVER:-}" ] && [ "${BENCH_README:-}" != 1 ]; then
    return 0
  fi
  local start="<!-- $1:start (scripts/$1 writes this block) -->"
  local end="<!-- $1:end -->"
  BLOCK="$start"$'\n'"$2"$'\n'"$end" START="$start" END="$end" NAME="$1" python3 - <<'PY'
import os, pathlib
readme = pathlib.Path("README.md")
text = readme.read_text()
start, end = os.environ["START"], os.environ["END"]
if start in text and end in text:
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    readme.write_text(before + os.environ["BLOCK"] + after)
    print(f"README.md: the {os.environ['NAME']} block is updated")
else:
    print(f"README.md has no {os.environ['NAME']} block to update")
PY
}

# require_chunk_preloads ADDR COOKIE: stops the benchmark unless the signed-in
# login page preloads its chunks. A page of a chunk group names its chunks
# from wasm-split's manifest, which the server finds through the hash.txt
# beside it. With a hash.txt from another build of the site (a frontend-only
# build elsewhere, such as CI's, rewrites it in a shared target folder), the
# server finds no manifest and writes no preloads, and signed-in pages are
# measured doing less than they do.
require_chunk_preloads() {
  if ! curl -s -H "Cookie: $2" "http://$1/login" | grep -q 'rel="preload"[^>]*chunk_\|chunk_[^>]*rel="preload"'; then
    echo "error: the signed-in login page preloads no chunk: the server's hash.txt does not match the site in ${LEPTOS_SITE_ROOT:-target/site}; run make build" >&2
    exit 1
  fi
}
