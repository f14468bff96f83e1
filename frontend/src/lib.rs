//! The browser entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Lets browser tests wait until the page is interactive.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

/// Starts the offline app in the service worker's `offline.html`: rendered
/// in the browser alone, from the decks kept on this device.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount_offline() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::offline::pages::OfflineApp);
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
