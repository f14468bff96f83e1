//! Catalogue server functions. They are open to visitors: the catalogue
//! lists only what is public or published.

use leptos::{prelude::*, server_fn::codec::GetUrl};

use super::{CataloguePage, CatalogueQuery, Suggestion};
use crate::error::AppError;

/// The longest search, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

/// The longest filter value (a language, a category or a tag), in characters.
pub const MAX_FILTER_CHARS: usize = 100;

#[server(endpoint = "catalogue/search", input = GetUrl)]
pub async fn search_catalogue(#[server(default)] query: CatalogueQuery) -> Result<CataloguePage, AppError> {
    use super::{
        db::{self, Cursor, Search},
        CatalogueSort, PAGE_SIZE,
    };
    use crate::{courses::CourseLevel, state::app_state};

    let state = app_state()?;
    let text = query.q.trim();
    let mut errors = crate::ui::validate::FieldErrors::new();
    if text.chars().count() > MAX_SEARCH_CHARS {
        errors.add("q", format!("Search for at most {MAX_SEARCH_CHARS} characters."));
    }
    if text.contains('\0') {
        errors.add(
            "q",
            "The search contains a character that cannot be searched for.".to_owned(),
        );
    }
    let sort = match query.sort.trim() {
        "" => CatalogueSort::default(),
        other => CatalogueSort::parse(other).unwrap_or_else(|| {
            errors.add("sort", "Choose an order from the list.");
            CatalogueSort::default()
        }),
    };
    let level = match query.level.trim() {
        "" => None,
        other => {
            let level = other.parse::<CourseLevel>().ok();
            if level.is_none() {
                errors.add("level", "Choose a level from the list.");
            }
            level
        }
    };
    // Language and category are chosen from lists; a tag is typed.
    for (field, value, message) in [
        ("language", &query.language, "Choose a language from the list."),
        ("category", &query.category, "Choose a category from the list."),
    ] {
        if value.chars().count() > MAX_FILTER_CHARS || value.contains('\0') {
            errors.add(field, message);
        }
    }
    if query.tag.chars().count() > MAX_FILTER_CHARS {
        errors.add("tag", format!("A tag has at most {MAX_FILTER_CHARS} characters."));
    } else if query.tag.contains('\0') {
        errors.add("tag", "The tag contains a character that cannot be searched for.");
    }
    let after = match query.after.trim() {
        "" => None,
        cursor => match Cursor::decode(cursor) {
            Some(cursor) => Some(cursor),
            None => {
                return Err(AppError::BadRequest(
                    "This results link is broken; start the search again.".to_owned(),
                ))
            }
        },
    };
    errors.into_result(())?;
    let search = Search {
        text,
        language: query.language.trim(),
        category: query.category.trim(),
        level,
        tag: query.tag.trim(),
        sort,
        after,
        limit: PAGE_SIZE,
    };
    let (entries, next) = db::search(&state.pool, &search).await?;
    let (languages, categories) = db::facets(&state.pool).await?;
    Ok(CataloguePage {
        entries,
        next: next.map(|cursor| cursor.encode()),
        languages,
        categories,
    })
}

/// Titles to suggest while the learner types in the search box.
#[server(endpoint = "catalogue/suggest", input = GetUrl)]
pub async fn suggest_titles(typed: String) -> Result<Vec<Suggestion>, AppError> {
    use crate::state::app_state;

    let typed = typed.trim();
    if typed.chars().count() < 2 || typed.chars().count() > MAX_SEARCH_CHARS || typed.contains('\0') {
        return Ok(Vec::new());
    }
    let state = app_state()?;
    super::db::suggest(&state.pool, typed, 8).await
}
