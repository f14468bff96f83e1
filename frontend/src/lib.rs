//! The browser entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    set_panic_hook();
    // The page's own code first (a lazy route's group of pages, whose
    // chunks the page's preload tags have already asked for), then the
    // page hydrates in one go, and says when it is done. Leptos's
    // `hydrate_lazy` would wait for the code in the middle of hydrating, on
    // an async path that every view carries a copy of (left out: see
    // vendor/README.md).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let path = leptos::prelude::window()
            .location()
            .pathname()
            .unwrap_or_default();
        app::load_code_of_page(&path).await;
        leptos::mount::hydrate_from(leptos::tachys::dom::body(), app::App).forget();
        mark_hydrated();
    });
}

/// Starts the offline app in the service worker's `offline.html`: rendered
/// in the browser alone, from the decks kept on this device.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount_offline() {
    set_panic_hook();
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        // The offline app is a chunk of its own, which no online page
        // downloads.
        app::offline_app().await;
        mark_hydrated();
    });
}

/// Room for `cargo leptos build --split` to lay out the read-only data.
///
/// wasm-split gives each string and table to the chunk whose code uses it,
/// and packs each chunk's share of the data segment anew, aligned. When the
/// packed shares come out longer than the segment was (a few hundred bytes
/// of alignment can do it), it gives up and leaves the whole segment in the
/// app shell: every page's text, 120 KB raw and 45 KB as served. These
/// bytes lengthen the segment without belonging to any chunk, so the packed
/// shares always fit; nothing reads them, and wasm-split writes them into
/// no file. `end2end/tests/page-chunks.spec.ts` checks that the shell holds
/// no page's text.
#[cfg(target_arch = "wasm32")]
#[used]
static SPLIT_DATA_SLACK: [u8; 4096] = [0x5a; 4096];

/// Marks the page interactive, which browser tests and benchmarks wait for.
fn mark_hydrated() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

/// Logs a panic to the console, as usual, and tells the learner on the page:
/// the most likely cause is a page's code that could not be fetched.
fn set_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        app::ui::show_app_failure_notice();
    }));
}
