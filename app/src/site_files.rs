//! The names of the site's files in a page's `<head>`: the stylesheet, the
//! app's JavaScript and WebAssembly, and wasm-split's manifest of chunks.
//!
//! A release build names them by content hash and lists the hashes in
//! `hash.txt` beside the server binary. Leptos's `HydrationScripts` and
//! leptos_meta's `HashedStylesheet` read that file (and find the binary's
//! path) on every page they render: 3.7% of the server's time for a
//! hydrated login page, measured with `perf`. The names cannot change while
//! the process runs, so they are read once, on the first page, and kept.

use std::{collections::HashMap, sync::OnceLock};

use leptos::{prelude::*, WasmSplitManifest};

/// The site's file names, without their folder, as the running build made
/// them.
struct SiteFiles {
    /// `engram.<hash>` when names are hashed, else `engram`.
    stylesheet: String,
    script: String,
    wasm: String,
    /// The chunks each lazy route needs, which the server names in
    /// `<link rel="preload">` tags (`vendor/leptos_integration_utils`);
    /// `None` for a build that was not split.
    split_manifest: Option<WasmSplitManifest>,
}

impl SiteFiles {
    fn of(options: &LeptosOptions) -> &'static SiteFiles {
        static FILES: OnceLock<SiteFiles> = OnceLock::new();
        FILES.get_or_init(|| SiteFiles::read(options))
    }

    fn read(options: &LeptosOptions) -> SiteFiles {
        let hashes = if options.hash_files {
            read_hashes(options)
        } else {
            HashMap::new()
        };
        let named = |kind: &str| match hashes.get(kind) {
            Some(hash) => format!("{}.{hash}", options.output_name),
            None => options.output_name.to_string(),
        };
        let split_manifest = split_manifest(options, &hashes);
        SiteFiles {
            stylesheet: named("css"),
            script: named("js"),
            wasm: named("wasm"),
            split_manifest,
        }
    }
}

/// `hash.txt`'s lines, `kind: hash`, by kind (`css`, `js`, `wasm`,
/// `split`, `manifest`); empty if the file cannot be read.
fn read_hashes(options: &LeptosOptions) -> HashMap<String, String> {
    let hash_file = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|folder| folder.join(options.hash_file.as_ref())));
    let Some(text) = hash_file.and_then(|path| std::fs::read_to_string(path).ok()) else {
        tracing::error!("file names are hashed, but the hash file beside the server cannot be read");
        return HashMap::new();
    };
    text.lines()
        .filter_map(|line| line.trim().split_once(':'))
        .map(|(kind, hash)| (kind.trim().to_owned(), hash.trim().to_owned()))
        .collect()
}

/// The name of the card stylesheet, `cards.<hash>.css`
/// (`scripts/build-card-styles.mjs`), in the site's folder of built files,
/// once found. Until then it is looked for on each page: `make dev`'s
/// `cargo leptos watch` empties the folder as it builds the app, and the
/// stylesheet is built again after it.
fn card_stylesheet(options: &LeptosOptions) -> Option<&'static str> {
    static FOUND: OnceLock<String> = OnceLock::new();
    static MISSING_LOGGED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if let Some(name) = FOUND.get() {
        return Some(name);
    }
    let folder = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let found = std::fs::read_dir(&folder).ok().and_then(|entries| {
        entries
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .find(|name| is_card_stylesheet(name))
    });
    match found {
        Some(name) => Some(FOUND.get_or_init(|| name)),
        None => {
            if !MISSING_LOGGED.swap(true, std::sync::atomic::Ordering::Relaxed) {
                tracing::error!(folder = %folder.display(), "no card stylesheet: run scripts/build-card-styles.mjs");
            }
            None
        }
    }
}

/// `cards.<22 characters of URL-safe base64>.css`, as the build names it.
fn is_card_stylesheet(name: &str) -> bool {
    name.strip_prefix("cards.")
        .and_then(|rest| rest.strip_suffix(".css"))
        .is_some_and(|hash| {
            hash.len() == 22
                && hash
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        })
}

/// wasm-split's manifest (which chunks each split point needs) and the
/// name of its loader script, as Leptos's `HydrationScripts` reads them.
fn split_manifest(options: &LeptosOptions, hashes: &HashMap<String, String>) -> Option<WasmSplitManifest> {
    let (loader, manifest) = match (hashes.get("split"), hashes.get("manifest")) {
        (Some(split), Some(manifest)) => (
            format!("__wasm_split.{split}.js"),
            format!("__wasm_split_manifest.{manifest}.json"),
        ),
        _ => (
            "__wasm_split.______________________.js".to_owned(),
            "__wasm_split_manifest.json".to_owned(),
        ),
    };
    let path = std::path::Path::new(options.site_root.as_ref())
        .join(options.site_pkg_dir.as_ref())
        .join(manifest);
    // No manifest: a build without `--split`, whose pages preload no chunk.
    let text = std::fs::read_to_string(path).ok()?;
    let chunks: HashMap<String, Vec<String>> = match serde_json::from_str(&text) {
        Ok(chunks) => chunks,
        Err(error) => {
            tracing::error!(%error, "wasm-split's manifest does not read as JSON");
            return None;
        }
    };
    Some(WasmSplitManifest(ArcStoredValue::new((
        format!("/{}", options.site_pkg_dir),
        chunks,
        loader,
    ))))
}

/// The stylesheet's address.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    format!(
        "/{}/{}.css",
        options.site_pkg_dir,
        SiteFiles::of(options).stylesheet
    )
}

/// The card stylesheet's address (`ui::card_styles`), if the site has one.
pub fn card_stylesheet_href(options: &LeptosOptions) -> Option<String> {
    let name = card_stylesheet(options)?;
    Some(format!("/{}/{name}", options.site_pkg_dir))
}

/// What starts the app in the browser: Leptos's `HydrationScripts` (the
/// app's script and WebAssembly preloaded, then a module that loads them and
/// hydrates), with the file names read once. It also hands wasm-split's
/// manifest to the render, for the preload tags of the route's chunks.
#[component]
pub fn HydrationScripts(options: LeptosOptions) -> impl IntoView {
    let files = SiteFiles::of(&options);
    if let Some(manifest) = &files.split_manifest {
        provide_context(manifest.clone());
    }
    let pkg = options.site_pkg_dir.to_string();
    let nonce = leptos::nonce::use_nonce();
    let start = format!("{HYDRATE}({pkg:?}, {:?}, {:?});", files.script, files.wasm);
    view! {
        <link rel="modulepreload" href=format!("/{pkg}/{}.js", files.script) crossorigin=nonce.clone() />
        <link
            rel="preload"
            href=format!("/{pkg}/{}.wasm", files.wasm)
            r#as="fetch"
            r#type="application/wasm"
            crossorigin=nonce.as_ref().map(|nonce| nonce.to_string()).unwrap_or_default()
        />
        <script type="module" nonce=nonce>
            {start}
        </script>
    }
}

/// Leptos's hydration script (`leptos/src/hydration/hydration_script.js`),
/// less what Engram does not use (a root path, hydrating when idle).
const HYDRATE: &str = "(function (pkg, script, wasm) {
    import(`/${pkg}/${script}.js`).then((app) =>
        app.default({ module_or_path: `/${pkg}/${wasm}.wasm` }).then(() => app.hydrate()));
})";

#[cfg(test)]
mod tests {
    use super::is_card_stylesheet;

    #[test]
    fn only_a_built_card_stylesheet_is_taken_for_one() {
        assert!(is_card_stylesheet("cards.CZo3DZMiYEX4G2cLCwY2Ui.css"));
        for name in [
            "cards.CZo3DZMiYEX4G2cLCwY2Ui.css.br",
            "cards.CZo3DZMiYEX4G2cLCwY2Ui.css.gz",
            "cards.building.css",
            "cards.css",
            "cards.CZo3DZMiYEX4G2cLCwY2U/.css",
            "engram.CZo3DZMiYEX4G2cLCwY2Ui.css",
        ] {
            assert!(!is_card_stylesheet(name), "{name}");
        }
    }
}
