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
    /// The stylesheet of rendered card content, `cards.<hash>.css`
    /// (`scripts/build-card-styles.mjs`); `None` if the site has none.
    card_stylesheet: Option<String>,
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
            card_stylesheet: card_stylesheet(options),
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

/// The name of the card stylesheet in the site's folder of built files,
/// which its build names by content.
fn card_stylesheet(options: &LeptosOptions) -> Option<String> {
    let folder = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let found = std::fs::read_dir(&folder)
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .find(|name| name.starts_with("cards.") && name.ends_with(".css"));
    if found.is_none() {
        tracing::error!(folder = %folder.display(), "no card stylesheet: run scripts/build-card-styles.mjs");
    }
    found
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
    let files = SiteFiles::of(options);
    let name = files.card_stylesheet.as_ref()?;
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
