use super::common::{learner_preview, route_param, LessonActions};
use super::lesson_view::LessonView;
use crate::courses::api::{load_lesson_page, AttachDeck, DetachDeck, SetLessonCompleted, UpdateLesson};
use crate::{error::AppError, ui::ErrorNotice};
use leptos::prelude::*;
use uuid::Uuid;

/// `/courses/:slug/lessons/:lesson_id`.
#[component]
pub fn LessonPage() -> impl IntoView {
    let preview = learner_preview();
    let slug = route_param("slug");
    let lesson_id = route_param("lesson_id");
    let complete = ServerAction::<SetLessonCompleted>::new();
    let update = ServerAction::<UpdateLesson>::new();
    let attach = ServerAction::<AttachDeck>::new();
    let detach = ServerAction::<DetachDeck>::new();
    let page = Resource::new(
        move || {
            (
                slug.get(),
                lesson_id.get(),
                complete.version().get(),
                update.version().get(),
                attach.version().get(),
                detach.version().get(),
            )
        },
        |(slug, lesson_id, ..)| async move {
            match Uuid::parse_str(&lesson_id) {
                Ok(lesson_id) => load_lesson_page(slug, lesson_id).await,
                Err(_) => Err(AppError::NotFound),
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
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading the lesson…"</p> }
        }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <LessonView page actions preview=preview.get() /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
