use super::common::{preview_suffix, LessonActions};
use super::lesson_editor::LessonEditor;
use super::progress_bar::ProgressBar;
use crate::courses::api::{record_lesson_opened, LessonPageData};
use crate::routes;
use crate::ui::FormError;
use crate::ui::PostForm;
use crate::ui::{plural, PageTitle};
use crate::unsaved::UnsavedForm;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub(crate) fn LessonView(
    page: LessonPageData,
    /// What a refused edit without JavaScript kept for the editor.
    unsaved: Option<UnsavedForm>,
    actions: LessonActions,
    preview: bool,
) -> impl IntoView {
    let completed = page.completed();
    let (previous, next) = page.neighbours();
    let (previous, next) = (previous.cloned(), next.cloned());
    let LessonPageData {
        course,
        lesson,
        lessons,
        decks,
        progress,
        can_edit,
        attachable_decks,
    } = page;
    let can_edit = can_edit && !preview;
    // A deck attached already is not offered again.
    let every_deck_attached = !attachable_decks.is_empty()
        && attachable_decks
            .iter()
            .all(|deck| decks.iter().any(|attached| attached.id == deck.id));
    let attachable_decks: Vec<_> = attachable_decks
        .into_iter()
        .filter(|deck| !decks.iter().any(|attached| attached.id == deck.id))
        .collect();
    // An enrolled learner studies the lesson's decks from here.
    let enrolled = progress.is_some() && !preview;
    let suffix = preview_suffix(preview);
    let slug = course.slug.clone();
    let lesson_id = lesson.id;
    if progress.is_some() && !preview {
        // "Continue where you left off": remembered with a POST once the page
        // is in the browser, because loading a page (a GET) never writes.
        // Without JavaScript, marking a lesson complete remembers it.
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                if let Err(error) = record_lesson_opened(lesson_id).await {
                    leptos::logging::warn!("the lesson to continue with was not remembered: {error}");
                }
            })
        });
    }
    let lesson_address = move |id: Uuid| format!("/courses/{slug}/lessons/{id}{suffix}");
    let complete_error = Signal::derive(move || actions.complete.value().get().and_then(Result::err));
    view! {
        <PageTitle text=format!("{} · {} · Engram", lesson.title, course.title) />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm">
            <a href=format!("/courses/{}{suffix}", course.slug) class="text-link">
                {format!("← {}", course.title)}
            </a>
        </nav>
        <div class="grid grid-cols-[minmax(0,1fr)] gap-8 lg:grid-cols-[minmax(0,1fr)_16rem]">
            <article class="min-w-0">
                <p class="text-sm font-medium text-slate-500 dark:text-slate-400">
                    {format!("Lesson {} of {}", lesson.position, lessons.len())}
                </p>
                <h1
                    class="user-text mb-4 text-2xl font-bold tracking-tight sm:text-3xl"
                    data-testid="lesson-title"
                >
                    {lesson.title.clone()}
                </h1>
                {if lesson.body_html.is_empty() {
                    view! {
                        <p class="text-slate-500 dark:text-slate-400 italic">
                            "This lesson has no text yet."
                        </p>
                    }
                        .into_any()
                } else {
                    // Stored HTML was rendered and sanitised with an allow-list when saved.
                    view! {
                        <div
                            class="card-content lesson-body focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                            data-testid="lesson-body"
                            tabindex="0"
                            inner_html=lesson.body_html.clone()
                        ></div>
                    }
                        .into_any()
                }}
                <section aria-labelledby="lesson-decks-heading" class="mt-8">
                    <h2 id="lesson-decks-heading" class="mb-3 text-lg font-semibold">
                        "Decks to study"
                    </h2>
                    {if decks.is_empty() {
                        view! {
                            <p class="text-sm text-slate-500 dark:text-slate-400">
                                "No decks for this lesson."
                            </p>
                        }
                            .into_any()
                    } else {
                        view! {
                            <ul class="grid gap-3 sm:grid-cols-2" data-testid="lesson-decks">
                                {decks
                                    .into_iter()
                                    .map(|deck| {
                                        let deck_id = deck.id;
                                        let deck_title = deck.title.clone();
                                        let studies = enrolled && deck.card_count_with_subdecks > 0;
                                        // A deck with no card yet has nothing to study.
                                        view! {
                                            <li class="panel flex items-start justify-between gap-2">
                                                <div>
                                                    <a
                                                        href=format!(
                                                            "/decks/{deck_id}?from=/courses/{}/lessons/{lesson_id}",
                                                            course.slug,
                                                        )
                                                        class="font-semibold hover:underline"
                                                    >
                                                        {deck.title}
                                                    </a>
                                                    <p class="text-sm text-slate-500 dark:text-slate-400">
                                                        {plural(deck.card_count_with_subdecks, "card", "cards")}
                                                    </p>
                                                </div>
                                                {studies
                                                    .then(|| {
                                                        view! {
                                                            <a
                                                                href=routes::study(deck_id)
                                                                class="button-primary text-sm"
                                                                aria-label=format!("Study {}", deck_title)
                                                            >
                                                                "Study"
                                                            </a>
                                                        }
                                                            .into_any()
                                                    })}
                                                {can_edit
                                                    .then(|| {
                                                        view! {
                                                            <PostForm action=actions.detach>
                                                                <input
                                                                    type="hidden"
                                                                    name="lesson_id"
                                                                    value=lesson_id.to_string()
                                                                />
                                                                <input
                                                                    type="hidden"
                                                                    name="deck_id"
                                                                    value=deck_id.to_string()
                                                                />
                                                                <button
                                                                    type="submit"
                                                                    class="rounded-md px-2 py-1 text-sm text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950"
                                                                >
                                                                    "Remove"
                                                                </button>
                                                            </PostForm>
                                                        }
                                                    })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </section>
                <div class="mt-8 flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-6 dark:border-slate-800">
                    {previous
                        .map(|lesson| {
                            view! {
                                <a href=lesson_address(lesson.id) class="button-secondary" rel="prev">
                                    "← Previous"
                                </a>
                            }
                        })} <span></span>
                    {next
                        .map(|lesson| {
                            view! {
                                <a href=lesson_address(lesson.id) class="button-secondary" rel="next">
                                    "Next →"
                                </a>
                            }
                        })}
                </div>
            </article>
            <aside class="space-y-4">
                {progress
                    .map(|progress| {
                        view! {
                            <div class="panel space-y-3">
                                <ProgressBar progress />
                                <PostForm action=actions.complete>
                                    <input type="hidden" name="lesson_id" value=lesson_id.to_string() />
                                    <input type="hidden" name="completed" value=(!completed).to_string() />
                                    <button
                                        type="submit"
                                        data-testid="complete-lesson"
                                        class=format!(
                                            "{} w-full",
                                            if completed { "button-secondary" } else { "button-primary" },
                                        )
                                        disabled=move || actions.complete.pending().get()
                                    >
                                        {if completed {
                                            "Completed ✓ (undo)"
                                        } else {
                                            "Mark lesson complete"
                                        }}
                                    </button>
                                </PostForm>
                                <FormError error=complete_error />
                            </div>
                        }
                    })} <nav aria-label="Lessons" class="panel">
                    <ol class="space-y-1 text-sm">
                        {lessons
                            .into_iter()
                            .map(|item| {
                                let current = item.id == lesson_id;
                                view! {
                                    <li>
                                        <a
                                            href=format!("{}{suffix}", routes::lesson(&course.slug, item.id))
                                            aria-current=current.then_some("page")
                                            class="flex gap-2 rounded px-2 py-1 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:font-semibold dark:hover:bg-slate-800 dark:aria-[current=page]:bg-indigo-950"
                                        >
                                            // Slate 600: 500 is below 4.5:1 on the current lesson's tint.
                                            <span class="w-5 shrink-0 text-slate-600 dark:text-slate-400">
                                                {if item.completed {
                                                    "✓".to_owned()
                                                } else {
                                                    format!("{}.", item.position)
                                                }}
                                            </span>
                                            <span class="truncate">{item.title}</span>
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                </nav>
            </aside>
        </div>
        {can_edit
            .then(|| {
                view! {
                    <LessonEditor
                        lesson_id
                        title=lesson.title.clone()
                        body=lesson.body_markdown.clone()
                        unsaved
                        attachable_decks
                        every_deck_attached
                        actions
                    />
                }
            })}
    }
}
