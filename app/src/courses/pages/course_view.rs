use super::add_lesson_form::AddLessonForm;
use super::author_panel::AuthorPanel;
use super::common::{lessons_text, CourseActions};
use super::course_decks::CourseDecks;
use super::enrolment_panel::EnrolmentPanel;
use super::lesson_row::LessonRow;
use crate::courses::{api::CoursePageData, CourseStatus};
use crate::routes;
use crate::ui::PageTitle;
use leptos::prelude::*;

fn status_badge_class(status: CourseStatus) -> &'static str {
    match status {
        CourseStatus::Draft => {
            "rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        }
        CourseStatus::Published => {
            "rounded-full bg-emerald-100 px-2.5 py-0.5 text-xs font-semibold text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
        }
        CourseStatus::Archived => {
            "rounded-full bg-slate-200 px-2.5 py-0.5 text-xs font-semibold text-slate-700 dark:bg-slate-800 dark:text-slate-300"
        }
    }
}

#[component]
pub(crate) fn CourseView(page: CoursePageData, actions: CourseActions, preview: bool) -> impl IntoView {
    let CoursePageData {
        course,
        language_name,
        lessons,
        progress,
        can_edit,
        signed_in,
        enrolment_count,
        decks,
    } = page;
    // An enrolled learner studies the course's decks from here, as from
    // each lesson's page.
    let enrolled = progress.is_some() && !preview;
    let is_author = can_edit;
    let can_edit = can_edit && !preview;
    let course_id = course.id;
    let slug = course.slug.clone();
    let first_lesson = lessons.first().map(|lesson| lesson.id);
    let details = [
        (!course.category.is_empty()).then(|| course.category.clone()),
        Some(course.level.label().to_owned()),
        (!language_name.is_empty()).then_some(language_name),
        Some(lessons_text(lessons.len())),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    // The way back is where the course is listed for this reader: their
    // dashboard once they teach or follow it (a draft is nowhere else),
    // the catalogue otherwise.
    let (back, back_label) = if is_author || enrolled {
        (routes::DASHBOARD, "← Dashboard")
    } else {
        (routes::CATALOGUE, "← Catalogue")
    };
    view! {
        <PageTitle text=format!("{} · Engram", course.title) />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm">
            <a href=back class="text-link">
                {back_label}
            </a>
        </nav>
        {course
            .cover_sha256
            .clone()
            .map(|sha256| {
                view! {
                    <img
                        src=routes::media(&sha256)
                        alt=""
                        data-testid="course-cover"
                        class="mb-6 h-40 w-full rounded-xl border border-slate-200 bg-slate-50 object-contain sm:h-56 dark:border-slate-800 dark:bg-slate-900"
                    />
                }
            })}
        <header class="mb-8 flex flex-col gap-6 sm:flex-row sm:items-start sm:justify-between">
            <div class="min-w-0">
                <div class="flex flex-wrap items-center gap-2">
                    <h1
                        class="user-text text-2xl font-bold tracking-tight sm:text-3xl"
                        data-testid="course-title"
                    >
                        {course.title.clone()}
                    </h1>
                    {can_edit
                        .then(|| {
                            view! {
                                <span class=status_badge_class(course.status) data-testid="course-status">
                                    {course.status.label()}
                                </span>
                            }
                        })}
                </div>
                <p class="mt-1 text-sm text-slate-500 dark:text-slate-400">
                    {format!("by {} · {details}", course.owner_name)}
                </p>
                <p class="user-text mt-3 max-w-2xl whitespace-pre-line text-slate-700 dark:text-slate-300">
                    {course.description.clone()}
                </p>
            </div>
            <div class="w-full shrink-0 sm:w-64">
                <EnrolmentPanel
                    course=course.clone()
                    progress=progress.clone()
                    signed_in
                    is_author
                    preview
                    first_lesson
                    actions
                />
            </div>
        </header>
        {can_edit
            .then(|| {
                view! {
                    <AuthorPanel course=course.clone() enrolment_count lesson_count=lessons.len() actions />
                }
            })}
        <section aria-labelledby="lessons-heading">
            <h2 id="lessons-heading" class="mb-3 text-lg font-semibold">
                "Lessons"
            </h2>
            {if lessons.is_empty() {
                view! {
                    <div class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
                        <p class="font-medium">"This course has no lessons yet."</p>
                        {can_edit.then(|| view! { <p class="mt-1 text-sm">"Add the first one below."</p> })}
                    </div>
                }
                    .into_any()
            } else {
                let last_index = lessons.len() - 1;
                view! {
                    <ol class="space-y-2" data-testid="lesson-list">
                        {lessons
                            .into_iter()
                            .enumerate()
                            .map(|(index, lesson)| {
                                view! {
                                    <LessonRow
                                        lesson
                                        slug=slug.clone()
                                        can_edit
                                        preview
                                        is_first=index == 0
                                        is_last=index == last_index
                                        move_lesson=actions.move_lesson
                                    />
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
            {can_edit.then(|| view! { <AddLessonForm course_id /> })}
        </section>
        {enrolled.then(|| view! { <CourseDecks decks /> })}
    }
}
