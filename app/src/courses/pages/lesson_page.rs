use super::common::{learner_preview, LessonActions};
use super::lesson_view::LessonView;
use crate::courses::api::{load_lesson_page, AttachDeck, DetachDeck, SetLessonCompleted, UpdateLesson};
use crate::error::AppError;
use crate::routes;
use crate::ui::FormAction;
use crate::ui::{saves, Loaded};
use crate::unsaved::{self, take_waiting, waiting_form};
use leptos::prelude::*;

/// `/courses/:slug/lessons/:lesson_id`.
#[component]
pub fn LessonPage() -> impl IntoView {
    let preview = learner_preview();
    let params = routes::course_params();
    let query = leptos_router::hooks::use_query_map();
    let complete = FormAction::<SetLessonCompleted>::new();
    let update = FormAction::<UpdateLesson>::new();
    let attach = FormAction::<AttachDeck>::new();
    let detach = FormAction::<DetachDeck>::new();
    // Reloaded after a save, not after a refusal (`ui::saves`).
    let complete_saves = saves(complete);
    let update_saves = saves(update);
    let attach_saves = saves(attach);
    let detach_saves = saves(detach);
    let page = crate::ui::page_data(
        move || {
            let lesson_id = params.read().lesson_id;
            (
                params.read().slug.clone().unwrap_or_default(),
                lesson_id,
                complete_saves.get(),
                update_saves.get(),
                attach_saves.get(),
                detach_saves.get(),
                // What a refused edit without JavaScript kept for the editor.
                waiting_form(&query.read(), |_| lesson_id.map(unsaved::editing_lesson)),
            )
        },
        |(slug, lesson_id, .., waiting)| async move {
            let unsaved = take_waiting(waiting).await;
            match lesson_id {
                Some(lesson_id) => Ok((load_lesson_page(slug, lesson_id).await?, unsaved)),
                None => Err(AppError::NotFound),
            }
        },
    );
    let actions = LessonActions {
        complete,
        update,
        attach,
        detach,
    };
    view! {
        <Loaded data=page loading="Loading the lesson…" let:loaded>
            <LessonView page=loaded.0 unsaved=loaded.1 actions preview=preview.get() />
        </Loaded>
    }
}
