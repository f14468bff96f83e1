use crate::courses::{api::SUGGESTED_CATEGORIES, Course, CourseLevel};
use crate::ui::TextArea;
use crate::{
    error::AppError,
    ui::{field_message, FieldMessage, FormError, INPUT_CLASS, LABEL_CLASS},
};
use leptos::prelude::*;

/// The inputs of a course's settings, shared by the new and edit forms.
#[component]
pub(crate) fn CourseSettingsFields(
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
