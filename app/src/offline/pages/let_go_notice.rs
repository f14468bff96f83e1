use leptos::prelude::*;

use crate::offline::AppOutbox;
use crate::study::{outbox::LetGo, pages::LetGoLines};

/// Puts the notice away, and the keyboard's focus on the page's content,
/// where the button that had it was.
fn dismiss(let_go: RwSignal<LetGo>) {
    let_go.set(LetGo::default());
    #[cfg(feature = "hydrate")]
    if let Some(main) = document().get_element_by_id("main") {
        use wasm_bindgen::JsCast;
        let main = main.unchecked_into::<web_sys::HtmlElement>();
        let _ = main.set_attribute("tabindex", "-1");
        let _ = main.focus();
    }
}

/// Under the header of a page other than a study page: reviews the app sent
/// as it started (kept on this device from an earlier visit) that the
/// server can never store, and so were let go. Said here because a study
/// page, whose sync line says it, was not open when it happened; "Dismiss"
/// puts it away.
#[component]
pub fn LetGoNotice(
    /// Whether the app's outbox let reviews go, on a page that is no study
    /// page (the header works it out, to know whether to load this).
    shown: Memo<bool>,
) -> impl IntoView {
    let app_outbox = use_context::<AppOutbox>();
    move || {
        let outbox = app_outbox
            .and_then(|app_outbox| app_outbox.get())
            .filter(|_| shown.get())?;
        let let_go = outbox.let_go;
        Some(view! {
            // An alert: a list of reviews lost is worth interrupting for,
            // and the region comes with its text (a status region would
            // have to be there before it).
            <div
                role="alert"
                class="mx-auto flex max-w-5xl flex-wrap items-start justify-between gap-x-4 gap-y-1 px-3 pb-3 text-sm sm:px-4"
                data-testid="let-go-notice"
            >
                <div>
                    <LetGoLines let_go />
                </div>
                <button type="button" class="text-link" on:click=move |_| dismiss(let_go)>
                    "Dismiss"
                </button>
            </div>
        })
    }
}
