use crate::catalogue::{CataloguePage, CatalogueQuery, CatalogueSort};
use crate::courses::CourseLevel;
use crate::routes;
use leptos::prelude::*;
use strum::VariantArray;

#[component]
pub(crate) fn SearchForm(query: CatalogueQuery, page: CataloguePage) -> impl IntoView {
    let select = |options: Vec<(String, String)>, current: String| {
        options
            .into_iter()
            .map(|(value, label)| {
                let selected = value == current;
                view! {
                    <option value=value selected=selected>
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    let any = |label: &str| (String::new(), label.to_owned());
    let languages: Vec<_> = std::iter::once(any("Any language"))
        .chain(
            page.languages
                .iter()
                .map(|language| (language.tag.clone(), language.name.clone())),
        )
        .collect();
    let categories: Vec<_> = std::iter::once(any("Any category"))
        .chain(
            page.categories
                .iter()
                .map(|category| (category.clone(), category.clone())),
        )
        .collect();
    let levels: Vec<_> = std::iter::once(any("Any level"))
        .chain(
            CourseLevel::VARIANTS
                .iter()
                .copied()
                .map(|level| (level.as_str().to_owned(), level.label().to_owned())),
        )
        .collect();
    let active_filters = [&query.language, &query.category, &query.level, &query.tag]
        .into_iter()
        .filter(|value| !value.is_empty())
        .count();
    let filtering = active_filters > 0;
    let filter_summary = match active_filters {
        0 => "Order and filters".to_owned(),
        1 => "Order and filters (1 in use)".to_owned(),
        n => format!("Order and filters ({n} in use)"),
    };
    let sorts: Vec<_> = CatalogueSort::ALL
        .into_iter()
        .map(|sort| (sort.as_str().to_owned(), sort.label().to_owned()))
        .collect();
    view! {
        // A plain form: public/catalogue-search.js sends it, without the
        // filters left at "any", as a link the app's router follows within
        // the page (or the browser, on a page without the app's code).
        // leptos_router's `<Form>` did the same from the wasm, and brought
        // its request code into the catalogue's first visit (7.5 KB as served).
        <form
            method="get"
            action=routes::CATALOGUE
            class="panel mb-6 grid gap-4 sm:grid-cols-6"
            role="search"
        >
            <div class="relative sm:col-span-5">
                <label for="catalogue-q" class="sr-only">
                    "Search"
                </label>
                <input
                    id="catalogue-q"
                    name="q"
                    type="search"
                    placeholder="Search decks and courses, e.g. spanish verbs"
                    autocomplete="off"
                    maxlength="200"
                    value=query.q.clone()
                    class="field-input"
                    aria-controls="catalogue-suggestions"
                />
                // Filled and shown by public/catalogue-search.js as one types.
                <ul
                    id="catalogue-suggestions"
                    data-testid="suggestions"
                    aria-label="Suggestions"
                    class="suggestion-list"
                    hidden
                ></ul>
                <p id="catalogue-suggestions-status" role="status" class="sr-only"></p>
                <script type="module" src="/catalogue-search.js" nonce=leptos::nonce::use_nonce()></script>
            </div>
            <button
                type="submit"
                class="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500"
            >
                "Search"
            </button>
            // On a phone the filters fold away so that results start on the
            // first screen; from the `sm` width up they are always shown
            // (style/tailwind.css, `.filters-fold`). Open when one is in use.
            <details class="filters-fold sm:col-span-6" open=filtering>
                <summary class="cursor-pointer text-sm font-semibold text-slate-700 dark:text-slate-200">
                    {filter_summary}
                </summary>
                // Five equal columns where they fit, so that no filter's
                // "Any …" is cut off under its arrow; three on a tablet.
                <div class="mt-3 grid gap-4 sm:mt-0 sm:grid-cols-3 lg:grid-cols-5">
                    <div>
                        <label for="catalogue-sort" class="field-label">
                            "Order"
                        </label>
                        <select id="catalogue-sort" name="sort" class="field-input">
                            {select(sorts, query.sort.clone())}
                        </select>
                    </div>
                    <div>
                        <label for="catalogue-language" class="field-label">
                            "Language"
                        </label>
                        <select id="catalogue-language" name="language" class="field-input">
                            {select(languages, query.language.clone())}
                        </select>
                    </div>
                    <div>
                        <label for="catalogue-category" class="field-label">
                            "Category"
                        </label>
                        <select id="catalogue-category" name="category" class="field-input">
                            {select(categories, query.category.clone())}
                        </select>
                    </div>
                    <div>
                        <label for="catalogue-level" class="field-label">
                            "Level"
                        </label>
                        <select id="catalogue-level" name="level" class="field-input">
                            {select(levels, query.level.clone())}
                        </select>
                    </div>
                    <div>
                        <label for="catalogue-tag" class="field-label">
                            "Tag"
                        </label>
                        <input
                            id="catalogue-tag"
                            name="tag"
                            maxlength="100"
                            value=query.tag.clone()
                            placeholder="verbs"
                            class="field-input"
                        />
                    </div>
                </div>
            </details>
        </form>
    }
}
