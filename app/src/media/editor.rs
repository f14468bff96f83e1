//! Drag-and-drop, paste and a file picker around a text field: the file is
//! uploaded and its embed text handed to `on_uploaded` for the field.

use leptos::prelude::*;

// Only the browser build uploads, so the server never builds the later states.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
enum UploadStatus {
    Idle,
    Uploading(String),
    Added(String),
    Failed(String),
}

#[component]
pub fn MediaDropZone(
    /// Receives the Markdown (image) or `<audio>` (sound) to insert.
    on_uploaded: Callback<String>,
    /// Names the picker for screen readers, e.g. "Front".
    field_name: String,
    /// Whether the field is empty: once it empties (the note was saved and
    /// the form cleared for the next), what the last upload said is stale.
    #[prop(into)]
    field_empty: Signal<bool>,
    children: Children,
) -> impl IntoView {
    let status = RwSignal::new(UploadStatus::Idle);
    Effect::new(move |_| {
        if field_empty.get()
            && matches!(
                status.get_untracked(),
                UploadStatus::Added(_) | UploadStatus::Failed(_)
            )
        {
            status.set(UploadStatus::Idle);
        }
    });
    let dragging = RwSignal::new(false);
    #[cfg(not(feature = "hydrate"))]
    let _ = on_uploaded;
    #[cfg(feature = "hydrate")]
    let upload_all = move |files: Option<web_sys::FileList>| {
        let Some(files) = files else { return };
        for index in 0..files.length() {
            let Some(file) = files.get(index) else { continue };
            let name = super::shown_file_name(&file.name());
            status.set(UploadStatus::Uploading(name.clone()));
            leptos::task::spawn_local(async move {
                match super::upload::upload_file(file).await {
                    Ok(uploaded) => {
                        on_uploaded.run(uploaded.embed(super::description_of_file(&name)));
                        status.set(UploadStatus::Added(name));
                    }
                    Err(message) => status.set(UploadStatus::Failed(format!("{name}: {message}"))),
                }
            });
        }
    };
    let on_drop = move |event: leptos::ev::DragEvent| {
        dragging.set(false);
        #[cfg(feature = "hydrate")]
        {
            let files = event.data_transfer().and_then(|transfer| transfer.files());
            if files.as_ref().is_some_and(|files| files.length() > 0) {
                event.prevent_default();
                upload_all(files);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    let on_paste = move |event: leptos::ev::ClipboardEvent| {
        #[cfg(feature = "hydrate")]
        {
            // Only files are taken over; pasting text stays the browser's job.
            let files = event.clipboard_data().and_then(|data| data.files());
            if files.as_ref().is_some_and(|files| files.length() > 0) {
                event.prevent_default();
                upload_all(files);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    let on_pick = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(input) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                upload_all(input.files());
                // Picking the same file again should upload it again.
                input.set_value("");
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    };
    view! {
        <div
            class="rounded-lg data-[dragging=true]:ring-2 data-[dragging=true]:ring-indigo-500"
            data-dragging=move || dragging.get().to_string()
            on:dragover=move |event| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
            on:paste=on_paste
        >
            {children()}
            // Uploading needs JavaScript; without it the control is hidden.
            <div class="js-only mt-1 flex flex-wrap items-center gap-3 text-sm">
                <label class="cursor-pointer font-medium text-indigo-700 hover:underline focus-within:underline dark:text-indigo-300">
                    "Add image or audio"
                    <input
                        type="file"
                        accept="image/png,image/jpeg,image/gif,image/webp,image/avif,audio/*"
                        multiple
                        class="sr-only"
                        aria-label=format!("Add image or audio to {field_name}")
                        data-testid="media-picker"
                        on:change=on_pick
                    />
                </label>
                <span class="text-slate-500 dark:text-slate-400">"or drop or paste a file here"</span>
                <span role="status" data-testid="upload-status">
                    {move || match status.get() {
                        UploadStatus::Idle => ().into_any(),
                        UploadStatus::Uploading(name) => {
                            view! {
                                <span class="text-slate-600 dark:text-slate-300">
                                    {format!("Uploading {name}…")}
                                </span>
                            }
                                .into_any()
                        }
                        UploadStatus::Added(name) => {
                            view! {
                                <span class="text-emerald-700 dark:text-emerald-300">
                                    {format!("Added {name}.")}
                                </span>
                            }
                                .into_any()
                        }
                        UploadStatus::Failed(message) => {
                            view! { <span class="text-red-600 dark:text-red-400">{message}</span> }.into_any()
                        }
                    }}
                </span>
            </div>
        </div>
    }
}
