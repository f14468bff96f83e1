use crate::browse::{BrowseQuery, BrowseSort};
use crate::{
    error::AppError,
    ui::{field_message, FieldMessage},
};
use leptos::prelude::*;
use leptos_router::components::Form;

#[component]
pub(crate) fn SearchForm(query: BrowseQuery, error: Option<AppError>) -> impl IntoView {
    let error = Signal::stored(error);
    let sorts = BrowseSort::ALL.map(|sort| {
        let selected = sort.as_str() == query.sort;
        view! {
            <option value=sort.as_str() selected=selected>
                {sort.label()}
            </option>
        }
    });
    view! {
        <Form
            method="GET"
            action="/browse"
            on_form_data=std::sync::Arc::new(crate::ui::drop_nameless_field)
            attr:class="panel mb-4 grid gap-3 sm:grid-cols-[1fr_auto_auto]"
            attr:role="search"
        >
            <div>
                <label for="browse-q" class="sr-only">
                    "Search your cards"
                </label>
                <input
                    id="browse-q"
                    name="q"
                    type="search"
                    placeholder="Search, e.g. verb deck:Spanish -tag:easy is:due"
                    autocomplete="off"
                    maxlength="500"
                    value=query.q.clone()
                    aria-invalid=move || field_message(error, "q")().is_some().to_string()
                    aria-describedby="browse-q-message"
                    class="field-input"
                />
                <FieldMessage
                    message=Signal::derive(field_message(error, "q"))
                    id="browse-q-message".into()
                />
            </div>
            <div>
                <label for="browse-sort" class="sr-only">
                    "Order by"
                </label>
                <select id="browse-sort" name="sort" class="field-input">
                    {sorts}
                </select>
                <FieldMessage
                    message=Signal::derive(field_message(error, "sort"))
                    id="browse-sort-message".into()
                />
            </div>
            <div>
                <button
                    type="submit"
                    class="w-full rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500"
                >
                    "Search"
                </button>
            </div>
            <details class="text-sm text-slate-600 sm:col-span-3 dark:text-slate-400">
                <summary class="cursor-pointer">"Search syntax"</summary>
                <ul class="mt-2 grid gap-1 sm:grid-cols-2">
                    <li>
                        <code>"gato perro"</code>
                        " cards with both words"
                    </li>
                    <li>
                        <code>"\"buenos días\""</code>
                        " the exact phrase"
                    </li>
                    <li>
                        <code>"deck:Spanish"</code>
                        " a deck and its subdecks; "
                        <code>"*"</code>
                        " matches anything"
                    </li>
                    <li>
                        <code>"tag:verbs"</code>
                        " notes with a tag"
                    </li>
                    <li>
                        <code>"is:new"</code>
                        " never studied; "
                        <code>"is:due"</code>
                        " due for review"
                    </li>
                    <li>
                        <code>"is:suspended"</code>
                        ", "
                        <code>"is:buried"</code>
                        " set aside by you"
                    </li>
                    <li>
                        <code>"-tag:easy"</code>
                        " a minus sign excludes"
                    </li>
                    <li>"Press " <kbd>"/"</kbd> " to jump to the search box."</li>
                </ul>
            </details>
            <FieldMessage
                message=Signal::derive(field_message(error, "after"))
                id="browse-after-message".into()
            />
        </Form>
    }
}
