use super::common::{learner_preview, LessonActions};
use super::lesson_view::LessonView;
use crate::courses::api::{load_lesson_page, AttachDeck, DetachDeck, SetLessonCompleted, UpdateLesson};
use crate::error::AppError;
use crate::routes;
use crate::ui::{saves, Loaded};
use leptos::prelude::*;

/// `/courses/:slug/lessons/:lesson_id`.
#[component]
pub fn LessonPage() -> impl IntoView {
    let preview = learner_preview();
    let params = routes::course_params();
    let complete = ServerAction::<SetLessonCompleted>::new();
    let update = ServerAction::<UpdateLesson>::new();
    let attach = ServerAction::<AttachDeck>::new();
    let detach = ServerAction::<DetachDeck>::new();
    // Reloaded after a save, not after a refusal (`ui::saves`).
    let complete_saves = saves(complete);
    let update_saves = saves(update);
    let attach_saves = saves(attach);
    let detach_saves = saves(detach);
    let page = crate::ui::page_data(
        move || {
            (
                params.read().slug.clone().unwrap_or_default(),
                params.read().lesson_id,
                complete_saves.get(),
                update_saves.get(),
                attach_saves.get(),
                detach_saves.get(),
            )
        },
        |(slug, lesson_id, ..)| async move {
            match lesson_id {
                Some(lesson_id) => load_lesson_page(slug, lesson_id).await,
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
        <Loaded data=page loading="Loading the lesson…" let:page>
            <LessonView page actions preview=preview.get() />
        </Loaded>
    }
}
