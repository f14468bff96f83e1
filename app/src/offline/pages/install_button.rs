use leptos::prelude::*;

use crate::offline::use_app_status;

/// "Install app", shown only while the browser offers installation.
#[component]
pub fn InstallButton(#[prop(into)] class: String) -> impl IntoView {
    let status = use_app_status();
    view! {
        <Show when=move || status.can_install.get()>
            <button
                type="button"
                class=class.clone()
                data-testid="install-app"
                on:click=move |_| status.install()
            >
                "Install app"
            </button>
        </Show>
    }
}
