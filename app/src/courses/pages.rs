//! Course pages: the new-course form, a course with its lessons, and a
//! lesson with its text and decks. Authors edit in place on the same pages.

use crate::ui::{plural, PageTitle, TextArea};
use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};
use uuid::Uuid;

use super::{
    api::{
        load_course_page, load_lesson_page, record_lesson_opened, AddLesson, AttachDeck, CoursePageData,
        CreateCourse, DeleteCourse, DeleteLesson, DetachDeck, Enrol, LeaveCourse, LessonPageData, MoveLesson,
        SetCourseCover, SetCourseStatus, SetLessonCompleted, UpdateCourse, UpdateLesson,
        SUGGESTED_CATEGORIES,
    },
    AttachableDeck, Course, CourseLevel, CourseStatus, LessonSummary, Progress,
};
use crate::{
    auth::{pages::use_auth, Role},
    error::AppError,
    ui::{
        field_message, ErrorNotice, FieldMessage, FormError, SubmitButton, INPUT_CLASS, LABEL_CLASS,
        PANEL_CLASS,
    },
};

const PRIMARY_BUTTON: &str =
    "inline-flex items-center justify-center rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white \
     shadow-sm hover:bg-indigo-500 disabled:opacity-60";
const SECONDARY_BUTTON: &str =
    "inline-flex items-center justify-center rounded-lg border border-slate-300 px-4 py-2 font-semibold \
     hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800";
const LINK: &str = "text-indigo-600 hover:underline dark:text-indigo-400";

fn lessons_text(count: usize) -> String {
    plural(count as i64, "lesson", "lessons")
}

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

/// A bar and a sentence: "2 of 3 lessons complete · 66%".
#[component]
pub fn ProgressBar(progress: Progress) -> impl IntoView {
    let percent = progress.percent();
    view! {
        <div data-testid="course-progress">
            // A native bar: the page's CSP (`style-src 'self'`) refuses inline
            // widths, and `value` draws the fill with no style attribute.
            <progress value=percent max="100" aria-label="Course progress" class="progress-bar">
                {format!("{percent}%")}
            </progress>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">
                {format!(
                    "{} of {} complete · {percent}%",
                    progress.completed_lessons,
                    lessons_text(progress.total_lessons as usize),
                )}
            </p>
        </div>
    }
}

/// The inputs of a course's settings, shared by the new and edit forms.
#[component]
fn CourseSettingsFields(
    prefix: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(optional)] current: Option<Course>,
) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    let (title, description, category, level, language, slug) = match current {
        Some(course) => (
            course.title,
            course.description,
            course.category,
            course.level,
            course.language,
            course.slug,
        ),
        None => Default::default(),
    };
    let categories_id = id("categories");
    view! {
        <div class="sm:col-span-2">
            <FormError error=error />
        </div>
        <div class="sm:col-span-2">
            <label for=id("title") class=LABEL_CLASS>
                "Title"
            </label>
            <input
                id=id("title")
                name="input[title]"
                required
                maxlength="200"
                value=title
                class=INPUT_CLASS
            />
            <FieldMessage message=Signal::derive(field_message(error, "title")) id=id("title-message") />
        </div>
        <div class="sm:col-span-2">
            <label for=id("description") class=LABEL_CLASS>
                "Description"
            </label>
            <TextArea
                id=id("description")
                name="input[description]"
                rows=3
                value=description
                described_by=id("description-message")
            />
            <FieldMessage
                message=Signal::derive(field_message(error, "description"))
                id=id("description-message")
            />
        </div>
        <div>
            <label for=id("category") class=LABEL_CLASS>
                "Category"
            </label>
            <input
                id=id("category")
                name="input[category]"
                maxlength="60"
                list=categories_id.clone()
                value=category
                class=INPUT_CLASS
            />
            <datalist id=categories_id>
                {SUGGESTED_CATEGORIES
                    .map(|category| view! { <option value=category></option> })
                    .collect_view()}
            </datalist>
            <FieldMessage
                message=Signal::derive(field_message(error, "category"))
                id=id("category-message")
            />
        </div>
        <div>
            <label for=id("level") class=LABEL_CLASS>
                "Level"
            </label>
            <select id=id("level") name="input[level]" class=INPUT_CLASS>
                {CourseLevel::ALL
                    .into_iter()
                    .map(|option| {
                        view! {
                            <option value=option.as_str() selected=option == level>
                                {option.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldMessage message=Signal::derive(field_message(error, "level")) id=id("level-message") />
        </div>
        <div>
            <label for=id("language") class=LABEL_CLASS>
                "Language (optional)"
            </label>
            <input
                id=id("language")
                name="input[language]"
                placeholder="es, fr, pt-BR…"
                maxlength="35"
                value=language
                class=INPUT_CLASS
            />
            <FieldMessage
                message=Signal::derive(field_message(error, "language"))
                id=id("language-message")
            />
        </div>
        <div>
            <label for=id("slug") class=LABEL_CLASS>
                "Address"
            </label>
            <div class="flex items-center gap-1">
                <span class="text-sm text-slate-500 dark:text-slate-400">"/courses/"</span>
                <input
                    id=id("slug")
                    name="input[slug]"
                    maxlength="80"
                    placeholder="made from the title"
                    value=slug
                    class=INPUT_CLASS
                />
            </div>
            <FieldMessage message=Signal::derive(field_message(error, "slug")) id=id("slug-message") />
        </div>
    }
}

/// `/courses/new`: a teacher starts a course. Learners are told they cannot.
#[component]
pub fn NewCoursePage() -> impl IntoView {
    let auth = use_auth();
    let create = ServerAction::<CreateCourse>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <PageTitle text="New course · Engram" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) if user.role >= Role::Teacher => {
                        view! {
                            <h1 class="mb-6 text-2xl font-bold tracking-tight sm:text-3xl">"New course"</h1>
                            <ActionForm
                                action=create
                                attr:class=format!("{PANEL_CLASS} grid gap-4 sm:grid-cols-2")
                                attr:novalidate=true
                            >
                                <CourseSettingsFields prefix="course" error />
                                <p class="text-sm text-slate-600 sm:col-span-2 dark:text-slate-400">
                                    "The course starts as a draft that only you can see. Add lessons, then publish it."
                                </p>
                                <div class="sm:col-span-2 sm:w-48">
                                    <SubmitButton
                                        label="Create course"
                                        pending_label="Creating…"
                                        pending=create.pending()
                                    />
                                </div>
                            </ActionForm>
                        }
                            .into_any()
                    }
                    Ok(Some(_)) => {
                        view! {
                            <ErrorNotice error=AppError::Forbidden />
                            <p class="mt-4 text-slate-600 dark:text-slate-400">
                                "Only teachers create courses. Browse the catalogue to find one to follow."
                            </p>
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <ErrorNotice error=AppError::Unauthenticated /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn route_param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).unwrap_or_default())
}

/// Whether the address asks for the learner preview (`?preview=1`): the
/// author sees their course and lessons without the editing controls.
fn learner_preview() -> Memo<bool> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("preview").is_some())
}

/// `/courses/:slug`.
#[component]
pub fn CoursePage() -> impl IntoView {
    let slug = route_param("slug");
    let preview = learner_preview();
    let enrol = ServerAction::<Enrol>::new();
    let leave = ServerAction::<LeaveCourse>::new();
    let set_status = ServerAction::<SetCourseStatus>::new();
    let update = ServerAction::<UpdateCourse>::new();
    let move_lesson = ServerAction::<MoveLesson>::new();
    let page = Resource::new(
        move || {
            (
                slug.get(),
                enrol.version().get(),
                leave.version().get(),
                set_status.version().get(),
                update.version().get(),
                move_lesson.version().get(),
            )
        },
        |(slug, ..)| load_course_page(slug),
    );
    let actions = CourseActions {
        enrol,
        leave,
        set_status,
        update,
        move_lesson,
    };
    view! {
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading the course…"</p> }
        }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <CourseView page actions preview=preview.get() /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct CourseActions {
    enrol: ServerAction<Enrol>,
    leave: ServerAction<LeaveCourse>,
    set_status: ServerAction<SetCourseStatus>,
    update: ServerAction<UpdateCourse>,
    move_lesson: ServerAction<MoveLesson>,
}

#[component]
fn CourseView(page: CoursePageData, actions: CourseActions, preview: bool) -> impl IntoView {
    let CoursePageData {
        course,
        lessons,
        progress,
        can_edit,
        signed_in,
        enrolment_count,
    } = page;
    let is_author = can_edit;
    let can_edit = can_edit && !preview;
    let course_id = course.id;
    let slug = course.slug.clone();
    let first_lesson = lessons.first().map(|lesson| lesson.id);
    let details = [
        (!course.category.is_empty()).then(|| course.category.clone()),
        Some(course.level.label().to_owned()),
        (!course.language.is_empty()).then(|| course.language.clone()),
        Some(lessons_text(lessons.len())),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <PageTitle text=format!("{} · Engram", course.title) />
        <nav aria-label="Breadcrumb" class="mb-4 text-sm">
            <A href="/catalogue" attr:class=LINK>
                "← Catalogue"
            </A>
        </nav>
        {course
            .cover_sha256
            .clone()
            .map(|sha256| {
                view! {
                    <img
                        src=format!("/media/{sha256}")
                        alt=""
                        data-testid="course-cover"
                        class="mb-6 h-40 w-full rounded-xl border border-slate-200 bg-slate-50 object-contain sm:h-56 dark:border-slate-800 dark:bg-slate-900"
                    />
                }
            })}
        <header class="mb-8 flex flex-col gap-6 sm:flex-row sm:items-start sm:justify-between">
            <div class="min-w-0">
                <div class="flex flex-wrap items-center gap-2">
                    <h1 class="text-2xl font-bold tracking-tight sm:text-3xl" data-testid="course-title">
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
                <p class="mt-3 max-w-2xl whitespace-pre-line text-slate-700 dark:text-slate-300">
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
    }
}

#[component]
fn LessonRow(
    lesson: LessonSummary,
    slug: String,
    can_edit: bool,
    preview: bool,
    is_first: bool,
    is_last: bool,
    move_lesson: ServerAction<MoveLesson>,
) -> impl IntoView {
    let lesson_id = lesson.id.to_string();
    let mover = move |earlier: bool, label: &'static str, symbol: &'static str, disabled: bool| {
        let lesson_id = lesson_id.clone();
        view! {
            <ActionForm action=move_lesson>
                <input type="hidden" name="lesson_id" value=lesson_id />
                <input type="hidden" name="earlier" value=earlier.to_string() />
                <button
                    type="submit"
                    aria-label=label
                    title=label
                    disabled=disabled
                    class="rounded-md px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-30 dark:hover:bg-slate-800"
                >
                    {symbol}
                </button>
            </ActionForm>
        }
    };
    view! {
        <li class=format!("{PANEL_CLASS} flex items-center justify-between gap-3 py-3")>
            <div class="flex min-w-0 items-center gap-3">
                <span
                    class=if lesson.completed {
                        "flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-emerald-500 text-sm font-bold text-white"
                    } else {
                        "flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-slate-200 text-sm font-semibold dark:bg-slate-800"
                    }
                    aria-label=if lesson.completed { "Complete" } else { "Not complete" }
                >
                    {if lesson.completed { "✓".to_owned() } else { lesson.position.to_string() }}
                </span>
                <A
                    href=format!("/courses/{slug}/lessons/{}{}", lesson.id, preview_suffix(preview))
                    attr:class="truncate font-medium hover:underline"
                >
                    {lesson.title}
                </A>
            </div>
            {can_edit
                .then(|| {
                    view! {
                        <div class="flex shrink-0 items-center">
                            {mover(true, "Move earlier", "↑", is_first)}
                            {mover(false, "Move later", "↓", is_last)}
                        </div>
                    }
                })}
        </li>
    }
}

#[component]
fn AddLessonForm(course_id: Uuid) -> impl IntoView {
    let add = ServerAction::<AddLesson>::new();
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    view! {
        <ActionForm
            action=add
            attr:class="mt-4 flex flex-col gap-2 sm:flex-row sm:items-start"
            attr:novalidate=true
        >
            <input type="hidden" name="course_id" value=course_id.to_string() />
            <div class="flex-1">
                <label for="new-lesson-title" class="sr-only">
                    "New lesson title"
                </label>
                <input
                    id="new-lesson-title"
                    name="title"
                    required
                    maxlength="200"
                    placeholder="New lesson title"
                    class=INPUT_CLASS
                />
                <FieldMessage
                    message=Signal::derive(field_message(error, "title"))
                    id="new-lesson-message".to_owned()
                />
            </div>
            <button type="submit" class=PRIMARY_BUTTON disabled=move || add.pending().get()>
                "Add lesson"
            </button>
        </ActionForm>
    }
}

/// The address suffix that keeps the learner preview on.
fn preview_suffix(preview: bool) -> &'static str {
    if preview {
        "?preview=1"
    } else {
        ""
    }
}

/// Enrol, continue, progress, or leave, depending on who is looking. The
/// author is offered a preview of what learners see instead of enrolling.
#[component]
fn EnrolmentPanel(
    course: Course,
    progress: Option<Progress>,
    signed_in: bool,
    is_author: bool,
    preview: bool,
    first_lesson: Option<Uuid>,
    actions: CourseActions,
) -> impl IntoView {
    let course_id = course.id.to_string();
    let enrol_error = Signal::derive(move || actions.enrol.value().get().and_then(Result::err));
    match progress {
        Some(progress) => {
            let resume = progress.last_lesson_id.or(first_lesson);
            view! {
                <div class=format!("{PANEL_CLASS} space-y-3") data-testid="enrolment">
                    <p class="text-sm font-semibold text-emerald-700 dark:text-emerald-300">
                        "You are enrolled"
                    </p>
                    <ProgressBar progress />
                    {resume
                        .map(|lesson_id| {
                            view! {
                                <A
                                    href=format!("/courses/{}/lessons/{lesson_id}", course.slug)
                                    attr:class=format!("{PRIMARY_BUTTON} w-full")
                                >
                                    "Continue"
                                </A>
                            }
                        })}
                    <ActionForm action=actions.leave>
                        <input type="hidden" name="course_id" value=course_id />
                        <button
                            type="submit"
                            class="text-sm text-slate-500 dark:text-slate-400 hover:underline"
                        >
                            "Leave this course"
                        </button>
                    </ActionForm>
                </div>
            }
            .into_any()
        }
        None if is_author && preview => view! {
            <div class=format!("{PANEL_CLASS} space-y-3") data-testid="learner-preview">
                <p class="text-sm">
                    "This is your course as learners see it. They enrol here, then continue from lesson to lesson."
                </p>
                <A href=format!("/courses/{}", course.slug) attr:class=format!("{SECONDARY_BUTTON} w-full")>
                    "Back to editing"
                </A>
            </div>
        }
        .into_any(),
        None if is_author => view! {
            <div class=format!("{PANEL_CLASS} space-y-3") data-testid="learner-preview">
                <p class="text-sm">"You teach this course."</p>
                <A
                    href=format!("/courses/{}?preview=1", course.slug)
                    attr:class=format!("{SECONDARY_BUTTON} w-full")
                >
                    "Preview as a learner"
                </A>
            </div>
        }
        .into_any(),
        None if course.status != CourseStatus::Published => ().into_any(),
        None if !signed_in => view! {
            <div class=PANEL_CLASS>
                <A href="/login" attr:class=format!("{PRIMARY_BUTTON} w-full")>
                    "Log in to enrol"
                </A>
            </div>
        }
        .into_any(),
        None => view! {
            <ActionForm action=actions.enrol attr:class=format!("{PANEL_CLASS} space-y-2")>
                <input type="hidden" name="course_id" value=course_id />
                <FormError error=enrol_error />
                <button
                    type="submit"
                    class=format!("{PRIMARY_BUTTON} w-full")
                    disabled=move || actions.enrol.pending().get()
                    data-testid="enrol"
                >
                    "Enrol"
                </button>
                <p class="text-xs text-slate-500 dark:text-slate-400">"Free. Leave whenever you like."</p>
            </ActionForm>
        }
        .into_any(),
    }
}

/// The author's controls: workflow, settings, deletion.
#[component]
fn AuthorPanel(
    course: Course,
    enrolment_count: i64,
    lesson_count: usize,
    actions: CourseActions,
) -> impl IntoView {
    let course_id = course.id;
    let delete_warning = format!(
        "Delete “{}”, its {} and the progress of {}? This cannot be undone.",
        course.title,
        lessons_text(lesson_count),
        plural(enrolment_count, "learner", "learners"),
    );
    let has_cover = course.cover_sha256.is_some();
    let status_error = Signal::derive(move || actions.set_status.value().get().and_then(Result::err));
    let update_error = Signal::derive(move || actions.update.value().get().and_then(Result::err));
    let saved = move || matches!(actions.update.value().get(), Some(Ok(_)));
    let delete = ServerAction::<DeleteCourse>::new();
    let transitions: Vec<(CourseStatus, &'static str, bool)> = match course.status {
        CourseStatus::Draft => vec![(CourseStatus::Published, "Publish", true)],
        CourseStatus::Published => vec![
            (CourseStatus::Archived, "Archive", false),
            (CourseStatus::Draft, "Back to draft", false),
        ],
        CourseStatus::Archived => vec![(CourseStatus::Published, "Publish again", true)],
    };
    let status_help = match course.status {
        CourseStatus::Draft => "Only you can see this draft. Publishing lists it in the catalogue.",
        CourseStatus::Published => "Listed in the catalogue and open for enrolment.",
        CourseStatus::Archived => "Hidden from the catalogue; enrolled learners keep access.",
    };
    let enrolled_text = plural(enrolment_count, "learner enrolled", "learners enrolled");
    view! {
        <section
            class=format!("{PANEL_CLASS} mb-8 space-y-4")
            aria-label="Course settings"
            data-testid="author-panel"
        >
            <div class="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
                <p class="text-sm text-slate-600 dark:text-slate-400">
                    {status_help} " " {enrolled_text} "."
                </p>
                <div class="flex flex-wrap gap-2">
                    {transitions
                        .into_iter()
                        .map(|(status, label, primary)| {
                            view! {
                                <ActionForm action=actions.set_status>
                                    <input type="hidden" name="course_id" value=course_id.to_string() />
                                    <input type="hidden" name="status" value=status.as_str() />
                                    <button
                                        type="submit"
                                        class=if primary { PRIMARY_BUTTON } else { SECONDARY_BUTTON }
                                        disabled=move || actions.set_status.pending().get()
                                    >
                                        {label}
                                    </button>
                                </ActionForm>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
            <FieldMessage
                message=Signal::derive(field_message(status_error, "status"))
                id="status-message".to_owned()
            />
            <details data-testid="edit-course">
                <summary class="cursor-pointer font-semibold text-indigo-700 dark:text-indigo-300">
                    "Edit course details"
                </summary>
                <ActionForm
                    action=actions.update
                    attr:class="mt-4 grid gap-4 sm:grid-cols-2"
                    attr:novalidate=true
                >
                    <input type="hidden" name="course_id" value=course_id.to_string() />
                    <CourseSettingsFields prefix="edit" error=update_error current=course />
                    <div class="flex items-center gap-3 sm:col-span-2">
                        <div class="w-48">
                            <SubmitButton
                                label="Save changes"
                                pending_label="Saving…"
                                pending=actions.update.pending()
                            />
                        </div>
                        <p role="status" class="text-sm text-emerald-700 dark:text-emerald-300">
                            {move || saved().then_some("Saved.")}
                        </p>
                    </div>
                </ActionForm>
            </details>
            <CoverPicker course_id has_cover />
            <details>
                <summary class="cursor-pointer font-semibold text-red-700 dark:text-red-300">
                    "Delete course"
                </summary>
                <p class="mt-2 text-sm" data-testid="delete-course-warning">
                    {delete_warning}
                </p>
                <ActionForm action=delete attr:class="mt-3">
                    <input type="hidden" name="course_id" value=course_id.to_string() />
                    <button
                        type="submit"
                        disabled=move || delete.pending().get()
                        class="rounded-lg bg-red-600 px-4 py-2 font-semibold text-white hover:bg-red-500 disabled:opacity-60"
                    >
                        "Yes, delete it"
                    </button>
                </ActionForm>
            </details>
        </section>
    }
}

/// Uploads an image and makes it the course's cover. Uploading needs the
/// app's JavaScript; removing the cover is a plain form.
#[component]
fn CoverPicker(course_id: Uuid, has_cover: bool) -> impl IntoView {
    let set_cover = ServerAction::<SetCourseCover>::new();
    let upload_message = RwSignal::new(None::<String>);
    let error = Signal::derive(move || set_cover.value().get().and_then(Result::err));
    let message = move || upload_message.get().or_else(|| field_message(error, "cover")());
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
                        set_cover.dispatch(SetCourseCover {
                            course_id,
                            sha256: uploaded.sha256,
                        });
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
            <label class=SECONDARY_BUTTON>
                {if has_cover { "Replace cover…" } else { "Add a cover…" }}
                <input
                    type="file"
                    accept="image/png,image/jpeg,image/gif,image/webp,image/avif"
                    class="sr-only"
                    aria-label="Upload a cover image"
                    data-testid="cover-input"
                    on:change=on_pick
                />
            </label>
            {has_cover
                .then(|| {
                    view! {
                        <ActionForm action=set_cover>
                            <input type="hidden" name="course_id" value=course_id.to_string() />
                            <input type="hidden" name="sha256" value="" />
                            <button
                                type="submit"
                                class=SECONDARY_BUTTON
                                disabled=move || set_cover.pending().get()
                            >
                                "Remove cover"
                            </button>
                        </ActionForm>
                    }
                })}
            <p role="status" class="text-sm text-slate-600 dark:text-slate-400" data-testid="cover-status">
                {message}
            </p>
        </div>
    }
}

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

#[derive(Clone, Copy)]
struct LessonActions {
    complete: ServerAction<SetLessonCompleted>,
    update: ServerAction<UpdateLesson>,
    attach: ServerAction<AttachDeck>,
    detach: ServerAction<DetachDeck>,
}

#[component]
fn LessonView(page: LessonPageData, actions: LessonActions, preview: bool) -> impl IntoView {
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
            <A href=format!("/courses/{}{suffix}", course.slug) attr:class=LINK>
                {format!("← {}", course.title)}
            </A>
        </nav>
        <div class="grid gap-8 lg:grid-cols-[1fr_16rem]">
            <article class="min-w-0">
                <p class="text-sm font-medium text-slate-500 dark:text-slate-400">
                    {format!("Lesson {} of {}", lesson.position, lessons.len())}
                </p>
                <h1 class="mb-4 text-2xl font-bold tracking-tight sm:text-3xl" data-testid="lesson-title">
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
                            class="card-content lesson-body"
                            data-testid="lesson-body"
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
                                        view! {
                                            <li class=format!(
                                                "{PANEL_CLASS} flex items-start justify-between gap-2",
                                            )>
                                                <div>
                                                    <A
                                                        href=format!(
                                                            "/decks/{deck_id}?from=/courses/{}/lessons/{lesson_id}",
                                                            course.slug,
                                                        )
                                                        attr:class="font-semibold hover:underline"
                                                    >
                                                        {deck.title}
                                                    </A>
                                                    <p class="text-sm text-slate-500 dark:text-slate-400">
                                                        {plural(deck.card_count_with_subdecks, "card", "cards")}
                                                    </p>
                                                </div>
                                                {can_edit
                                                    .then(|| {
                                                        view! {
                                                            <ActionForm action=actions.detach>
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
                                                            </ActionForm>
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
                                <A href=lesson_address(lesson.id) attr:class=SECONDARY_BUTTON attr:rel="prev">
                                    "← Previous"
                                </A>
                            }
                        })} <span></span>
                    {next
                        .map(|lesson| {
                            view! {
                                <A href=lesson_address(lesson.id) attr:class=SECONDARY_BUTTON attr:rel="next">
                                    "Next →"
                                </A>
                            }
                        })}
                </div>
            </article>
            <aside class="space-y-4">
                {progress
                    .map(|progress| {
                        view! {
                            <div class=format!("{PANEL_CLASS} space-y-3")>
                                <ProgressBar progress />
                                <ActionForm action=actions.complete>
                                    <input type="hidden" name="lesson_id" value=lesson_id.to_string() />
                                    <input type="hidden" name="completed" value=(!completed).to_string() />
                                    <button
                                        type="submit"
                                        data-testid="complete-lesson"
                                        class=format!(
                                            "{} w-full",
                                            if completed { SECONDARY_BUTTON } else { PRIMARY_BUTTON },
                                        )
                                        disabled=move || actions.complete.pending().get()
                                    >
                                        {if completed {
                                            "Completed ✓ (undo)"
                                        } else {
                                            "Mark lesson complete"
                                        }}
                                    </button>
                                </ActionForm>
                                <FormError error=complete_error />
                            </div>
                        }
                    })} <nav aria-label="Lessons" class=PANEL_CLASS>
                    <ol class="space-y-1 text-sm">
                        {lessons
                            .into_iter()
                            .map(|item| {
                                let current = item.id == lesson_id;
                                view! {
                                    <li>
                                        <A
                                            href=format!(
                                                "/courses/{}/lessons/{}{suffix}",
                                                course.slug,
                                                item.id,
                                            )
                                            attr:aria-current=current.then_some("page")
                                            attr:class="flex gap-2 rounded px-2 py-1 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:font-semibold dark:hover:bg-slate-800 dark:aria-[current=page]:bg-indigo-950"
                                        >
                                            <span class="w-5 shrink-0 text-slate-500 dark:text-slate-400">
                                                {if item.completed {
                                                    "✓".to_owned()
                                                } else {
                                                    format!("{}.", item.position)
                                                }}
                                            </span>
                                            <span class="truncate">{item.title}</span>
                                        </A>
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
                        attachable_decks
                        actions
                    />
                }
            })}
    }
}

/// The author's editor under a lesson: text, decks, order and deletion.
#[component]
fn LessonEditor(
    lesson_id: Uuid,
    title: String,
    body: String,
    attachable_decks: Vec<AttachableDeck>,
    actions: LessonActions,
) -> impl IntoView {
    let error = Signal::derive(move || actions.update.value().get().and_then(Result::err));
    let attach_error = Signal::derive(move || actions.attach.value().get().and_then(Result::err));
    let saved = move || matches!(actions.update.value().get(), Some(Ok(())));
    let delete = ServerAction::<DeleteLesson>::new();
    let (private_decks, shared_decks): (Vec<_>, Vec<_>) =
        attachable_decks.into_iter().partition(|deck| deck.private);
    let has_decks = !shared_decks.is_empty();
    let has_any_deck = has_decks || !private_decks.is_empty();
    view! {
        <section
            class=format!("{PANEL_CLASS} mt-10 space-y-6")
            aria-labelledby="lesson-editor-heading"
            data-testid="lesson-editor"
        >
            <h2 id="lesson-editor-heading" class="text-lg font-semibold">
                "Edit this lesson"
            </h2>
            <ActionForm action=actions.update attr:class="space-y-3" attr:novalidate=true>
                <input type="hidden" name="lesson_id" value=lesson_id.to_string() />
                <FormError error />
                <div>
                    <label for="lesson-title" class=LABEL_CLASS>
                        "Title"
                    </label>
                    <input
                        id="lesson-title"
                        name="input[title]"
                        required
                        maxlength="200"
                        value=title
                        class=INPUT_CLASS
                    />
                    <FieldMessage
                        message=Signal::derive(field_message(error, "title"))
                        id="lesson-title-message".to_owned()
                    />
                </div>
                <div>
                    <label for="lesson-body" class=LABEL_CLASS>
                        "Text"
                    </label>
                    <TextArea
                        id="lesson-body"
                        name="input[body]"
                        rows=12
                        class=format!("{INPUT_CLASS} font-mono text-sm")
                        value=body
                        described_by="lesson-body-message"
                    />
                    <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">
                        "Markdown, with $…$ and $$…$$ for formulas and ``` fences for code."
                    </p>
                    <FieldMessage
                        message=Signal::derive(field_message(error, "body"))
                        id="lesson-body-message".to_owned()
                    />
                </div>
                <div class="flex items-center gap-3">
                    <div class="w-48">
                        <SubmitButton
                            label="Save lesson"
                            pending_label="Saving…"
                            pending=actions.update.pending()
                        />
                    </div>
                    <p role="status" class="text-sm text-emerald-700 dark:text-emerald-300">
                        {move || saved().then_some("Saved.")}
                    </p>
                </div>
            </ActionForm>
            <ActionForm action=actions.attach attr:class="space-y-1">
                <input type="hidden" name="lesson_id" value=lesson_id.to_string() />
                <label for="attach-deck" class=LABEL_CLASS>
                    "Attach a deck"
                </label>
                <div class="flex flex-col gap-2 sm:flex-row">
                    <select id="attach-deck" name="deck_id" class=INPUT_CLASS disabled=!has_decks>
                        {shared_decks
                            .into_iter()
                            .map(|deck| view! { <option value=deck.id.to_string()>{deck.title}</option> })
                            .collect_view()}
                    </select>
                    <button
                        type="submit"
                        class=SECONDARY_BUTTON
                        disabled=move || !has_decks || actions.attach.pending().get()
                    >
                        "Attach"
                    </button>
                </div>
                <FieldMessage
                    message=Signal::derive(field_message(attach_error, "deck_id"))
                    id="attach-deck-message".to_owned()
                />
                {(!has_any_deck)
                    .then(|| {
                        view! {
                            <p class="text-sm text-slate-600 dark:text-slate-400">
                                "You have no decks yet. Create one on your dashboard, then attach it here."
                            </p>
                        }
                    })}
            </ActionForm>
            {(!private_decks.is_empty())
                .then(|| {
                    view! {
                        <div data-testid="private-decks">
                            <p class="text-sm text-slate-600 dark:text-slate-400">
                                "Your private decks are not in the list: learners cannot open them. Unlisted decks open for anyone with the link and stay out of the catalogue."
                            </p>
                            <ul class="mt-2 space-y-2">
                                {private_decks
                                    .into_iter()
                                    .map(|deck| {
                                        view! {
                                            <li class="flex flex-wrap items-center justify-between gap-2">
                                                <A href=format!("/decks/{}", deck.id) attr:class=LINK>
                                                    {deck.title}
                                                </A>
                                                <ActionForm action=actions.attach>
                                                    <input
                                                        type="hidden"
                                                        name="lesson_id"
                                                        value=lesson_id.to_string()
                                                    />
                                                    <input
                                                        type="hidden"
                                                        name="deck_id"
                                                        value=deck.id.to_string()
                                                    />
                                                    <input type="hidden" name="make_unlisted" value="true" />
                                                    <button
                                                        type="submit"
                                                        class="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                                                        disabled=move || actions.attach.pending().get()
                                                    >
                                                        "Make unlisted and attach"
                                                    </button>
                                                </ActionForm>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })}
            <details>
                <summary class="cursor-pointer font-semibold text-red-700 dark:text-red-300">
                    "Delete lesson"
                </summary>
                <p class="mt-2 text-sm">
                    "Delete this lesson and learners' completion of it? The decks stay."
                </p>
                <ActionForm action=delete attr:class="mt-3">
                    <input type="hidden" name="lesson_id" value=lesson_id.to_string() />
                    <button
                        type="submit"
                        disabled=move || delete.pending().get()
                        class="rounded-lg bg-red-600 px-4 py-2 font-semibold text-white hover:bg-red-500 disabled:opacity-60"
                    >
                        "Yes, delete it"
                    </button>
                </ActionForm>
            </details>
        </section>
    }
}
