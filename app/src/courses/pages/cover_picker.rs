use crate::courses::{api::SetCourseCover, COVER_FILE_FIELD};
use crate::ui::{field_message, FormAction, PostForm};
use leptos::prelude::*;
use uuid::Uuid;

/// The image types the media store takes, for the file pickers.
const IMAGE_TYPES: &str = "image/png,image/jpeg,image/gif,image/webp,image/avif";

/// Uploads an image and makes it the course's cover. With the app's
/// JavaScript, picking a file uploads it, and a hidden form of the cover's
/// action, which the app fills in and submits, sets it. Without it, the file
/// is sent with a plain form to `/media/course-cover`, which does both (see
/// `media::http`). Removing the cover is a plain form either way.
#[component]
pub(crate) fn CoverPicker(course_id: Uuid, has_cover: bool) -> impl IntoView {
    let set_cover = FormAction::<SetCourseCover>::new();
    let upload_form = NodeRef::<leptos::html::Form>::new();
    let uploaded_sha256 = NodeRef::<leptos::html::Input>::new();
    let upload_message = RwSignal::new(None::<String>);
    let error = Signal::derive(move || set_cover.value().get().and_then(Result::err));
    let message = move || {
        upload_message
            .get()
            .or_else(|| field_message(error, crate::courses::COVER_FIELD)())
    };
    // The new cover shows once the page reloads with it.
    Effect::new(move |_| {
        if matches!(set_cover.value().get(), Some(Ok(()))) {
            #[cfg(feature = "hydrate")]
            let _ = window().location().reload();
        }
    });
    let on_pick = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|files| files.get(0)) else {
                return;
            };
            upload_message.set(Some(format!("Uploading {}…", file.name())));
            leptos::task::spawn_local(async move {
                match crate::media::upload::upload_file(file).await {
                    Ok(uploaded) if uploaded.is_audio() => {
                        upload_message.set(Some("A cover must be an image.".to_owned()));
                    }
                    Ok(uploaded) => {
                        upload_message.set(None);
                        if let (Some(form), Some(sha256)) =
                            (upload_form.get_untracked(), uploaded_sha256.get_untracked())
                        {
                            sha256.set_value(&uploaded.sha256);
                            let _ = form.request_submit();
                        }
                    }
                    Err(refusal) => upload_message.set(Some(refusal)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, course_id);
    };
    view! {
        <div class="flex flex-wrap items-center gap-3" data-testid="cover-picker">
            <span class="font-semibold">"Cover image"</span>
            <label class="button-secondary js-only">
                {if has_cover { "Replace cover…" } else { "Add a cover…" }}
                <input
                    type="file"
                    accept=IMAGE_TYPES
                    class="sr-only"
                    aria-label="Upload a cover image"
                    data-testid="cover-input"
                    on:change=on_pick
                />
            </label>
            <form
                method="post"
                action="/media/course-cover"
                enctype="multipart/form-data"
                class="no-js-only flex min-w-0 max-w-full flex-wrap items-center gap-2"
            >
                <input type="hidden" name="course_id" value=course_id.to_string() />
                <label for="cover-image" class="sr-only">
                    "Cover image file"
                </label>
                <input
                    id="cover-image"
                    type="file"
                    name=COVER_FILE_FIELD
                    accept=IMAGE_TYPES
                    aria-describedby="cover-status"
                    class="min-w-0 max-w-full text-sm text-slate-700 dark:text-slate-200"
                />
                <button type="submit" class="button-secondary">
                    {if has_cover { "Replace cover" } else { "Upload cover" }}
                </button>
            </form>
            <PostForm action=set_cover node_ref=upload_form attr:hidden=true>
                <input type="hidden" name="course_id" value=course_id.to_string() />
                <input type="hidden" name="sha256" node_ref=uploaded_sha256 />
            </PostForm>
            {has_cover
                .then(|| {
                    view! {
                        <PostForm action=set_cover>
                            <input type="hidden" name="course_id" value=course_id.to_string() />
                            <input type="hidden" name="sha256" value="" />
                            <button
                                type="submit"
                                class="button-secondary"
                                disabled=move || set_cover.pending().get()
                            >
                                "Remove cover"
                            </button>
                        </PostForm>
                    }
                })}
            <p
                id="cover-status"
                role="status"
                class="text-sm text-slate-600 dark:text-slate-400"
                data-testid="cover-status"
            >
                {message}
            </p>
        </div>
    }
}
