use crate::courses::{api::SUGGESTED_CATEGORIES, Course, CourseLevel, MAX_CATEGORY_CHARS};
use crate::routes;
use crate::{
    error::AppError,
    ui::{
        field_message,
        validate::{MAX_DESCRIPTION_CHARS, MAX_LANGUAGE_BYTES, MAX_TITLE_CHARS},
        Field, FieldControl, FieldMessage, FormError, TextLimit,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use strum::VariantArray;

/// The inputs of a course's settings, shared by the new and edit forms.
#[component]
pub(crate) fn CourseSettingsFields(
    prefix: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(optional)] current: Option<Course>,
) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    // The address is a plain input beside its prefix: it is marked, as a
    // `Field` is, when its message is about it.
    let slug_message = Signal::derive(field_message(error, "slug"));
    // After a plain form post that failed, the address holds what was sent
    // (`routes::course_settings_filled_in`) beside the error; otherwise the
    // form shows the course as stored, or starts empty.
    let typed = use_query_map().with_untracked(|query| {
        query.get("__err")?;
        let [title, description, category, level, language, slug] = routes::COURSE_SETTINGS_TYPED;
        Some((
            query.get(title)?,
            query.get(description).unwrap_or_default(),
            query.get(category).unwrap_or_default(),
            query
                .get(level)
                .and_then(|level| level.parse().ok())
                .unwrap_or_default(),
            query.get(language).unwrap_or_default(),
            query.get(slug).unwrap_or_default(),
        ))
    });
    let (title, description, category, level, language, slug) = match (typed, current) {
        (Some(typed), _) => typed,
        (None, Some(course)) => (
            course.title,
            course.description,
            course.category,
            course.level,
            course.language,
            course.slug,
        ),
        (None, None) => Default::default(),
    };
    let categories_id = id("categories");
    view! {
        <div class="sm:col-span-2">
            <FormError error=error />
        </div>
        <Field
            prefix
            field="title"
            label="Title"
            error
            control=FieldControl::Input
            value=title
            required=true
            maxlength=MAX_TITLE_CHARS
            class="sm:col-span-2"
        />
        <Field
            prefix
            field="description"
            label="Description"
            error
            control=FieldControl::TextArea {
                rows: 3,
                limit: Some(TextLimit::Characters(MAX_DESCRIPTION_CHARS)),
            }
            value=description
            class="sm:col-span-2"
        />
        <div>
            <label for=id("category") class="field-label">
                "Category"
            </label>
            <input
                id=id("category")
                name="input[category]"
                maxlength=MAX_CATEGORY_CHARS
                list=categories_id.clone()
                value=category
                class="field-input"
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
        <Field
            prefix
            field="level"
            label="Level"
            error
            control=FieldControl::Select(
                CourseLevel::VARIANTS
                    .iter()
                    .copied()
                    .map(|option| (option.as_str().to_owned(), option.label().to_owned()))
                    .collect(),
            )
            value=level.as_str()
        />
        <Field
            prefix
            field="language"
            label="Language (optional)"
            error
            control=FieldControl::Input
            value=language
            placeholder="es, fr, pt-BR…"
            maxlength=MAX_LANGUAGE_BYTES
        />
        <div>
            <label for=id("slug") class="field-label">
                "Address (optional)"
            </label>
            <div class="flex items-center gap-1">
                <span class="shrink-0 text-sm text-slate-500 dark:text-slate-400">"/courses/"</span>
                <input
                    id=id("slug")
                    name="input[slug]"
                    maxlength="80"
                    placeholder="made from the title"
                    value=slug
                    class="field-input"
                    aria-describedby=id("slug-message")
                    aria-invalid=move || slug_message.get().is_some().to_string()
                />
            </div>
            <FieldMessage message=slug_message id=id("slug-message") />
        </div>
    }
}
