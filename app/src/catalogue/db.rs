//! Catalogue queries. Search runs over the `catalogue_entries` view, whose
//! branches (public decks, published courses) each have their own GIN
//! indexes for the text and for trigram similarity of titles.

use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Postgres, QueryBuilder};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{CatalogueEntry, CatalogueSort, EntryKind, LanguageChoice, Suggestion};
use crate::{browse::query::contains_like, courses::CourseLevel, error::AppError};

/// How alike a search and a title must be to count as a typo of it, from 0
/// to 1. Lower than pg_trgm's default of 0.6, which misses a dropped letter
/// in a short word ("spansh" scores 0.57 against "Spanish").
const TYPO_THRESHOLD: &str = "0.4";

/// Where the previous page stopped, in the order of the chosen sort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cursor {
    /// The rank's bits: a float printed and parsed again may come back one
    /// unit off, and the next page would then skip or repeat a result.
    Rank(u64, Uuid),
    /// Microseconds since the Unix epoch: PostgreSQL's precision, so the
    /// value survives the round trip exactly.
    ListedAt(i64, Uuid),
    Title(String, Uuid),
}

impl Cursor {
    pub fn encode(&self) -> String {
        crate::paging::encode_cursor(self)
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        crate::paging::decode_cursor(text)
    }
}

/// A validated search.
pub struct Search<'a> {
    pub text: &'a str,
    pub language: &'a str,
    pub category: &'a str,
    pub level: Option<CourseLevel>,
    pub tag: &'a str,
    pub sort: CatalogueSort,
    pub after: Option<Cursor>,
    pub limit: i64,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    kind: String,
    id: Uuid,
    slug: String,
    title: String,
    description: String,
    language: String,
    category: String,
    level: Option<CourseLevel>,
    owner_name: String,
    item_count: i64,
    rank: f64,
    listed_at: OffsetDateTime,
    sort_title: String,
}

fn entry_kind(kind: &str) -> EntryKind {
    if kind == "course" {
        EntryKind::Course
    } else {
        EntryKind::Deck
    }
}

/// One page of results, and the cursor of the next page if there is one.
pub async fn search(
    pool: &PgPool,
    search: &Search<'_>,
) -> Result<(Vec<CatalogueEntry>, Option<Cursor>), AppError> {
    let has_text = !search.text.trim().is_empty();
    // Ranking by relevance means nothing without text: list newest first.
    let sort = match search.sort {
        CatalogueSort::Relevance if !has_text => CatalogueSort::Newest,
        sort => sort,
    };
    let mut sql = QueryBuilder::<Postgres>::new(
        "select e.kind, e.id, e.slug, e.title, e.description, e.language, e.category, e.level, \
                (select u.display_name from users u where u.id = e.owner_id) as owner_name, \
                case when e.kind = 'deck' then (select count(*) from cards c where c.deck_id = e.id) \
                     else (select count(*) from lessons l where l.course_id = e.id) end as item_count, \
                e.rank, e.listed_at, e.sort_title \
         from (select e.kind, e.id, e.slug, e.title, e.description, e.language, e.category, e.level, \
                      e.owner_id, e.listed_at, lower(e.title) as sort_title, ",
    );
    if has_text {
        // Default ts_rank weights put A (title) over B (description) over
        // C (card text); similarity of the title lifts typo matches.
        sql.push("(ts_rank(e.search_document, websearch_to_tsquery('simple', ")
            .push_bind(search.text)
            .push(")) + word_similarity(")
            .push_bind(search.text)
            .push(", e.title))::float8 as rank");
    } else {
        sql.push("0::float8 as rank");
    }
    sql.push(" from catalogue_entries e where true");
    if has_text {
        // Two index lookups joined by `union`, not one `or`: with `or` the
        // planner scans every deck and unpacks its whole (TOASTed) search
        // document, because it does not count that cost; this form was six
        // times faster on `make seed-large`'s catalogue.
        sql.push(" and e.id in (select m.id from catalogue_entries m where m.search_document @@ websearch_to_tsquery('simple', ")
            .push_bind(search.text)
            .push(") union select m.id from catalogue_entries m where ")
            .push_bind(search.text)
            .push(" <% m.title)");
    }
    if !search.language.is_empty() {
        sql.push(" and e.language = ").push_bind(search.language);
    }
    if !search.category.is_empty() {
        sql.push(" and e.category = ").push_bind(search.category);
    }
    if let Some(level) = search.level {
        sql.push(" and e.level = ").push_bind(level);
    }
    if !search.tag.is_empty() {
        sql.push(" and e.tags @> array[")
            .push_bind(search.tag)
            .push("]::text[]");
    }
    // The owner's name and the item count are looked up in the select list,
    // so only for the page of results that survives the limit.
    sql.push(") e");
    match (&search.after, sort) {
        (Some(Cursor::Rank(rank, id)), CatalogueSort::Relevance) => {
            sql.push(" where (e.rank < ")
                .push_bind(f64::from_bits(*rank))
                .push(" or (e.rank = ")
                .push_bind(f64::from_bits(*rank))
                .push(" and e.id > ")
                .push_bind(*id)
                .push("))");
        }
        (Some(Cursor::ListedAt(micros, id)), CatalogueSort::Newest) => {
            // Within what PostgreSQL stores: the time crate reaches back to
            // 9999 BC, PostgreSQL to 4713 BC; no deck was listed before 1 AD.
            let listed_at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(*micros) * 1000)
                .ok()
                .filter(|listed_at| listed_at.year() >= 1)
                .ok_or_else(|| AppError::BadRequest("This results link is broken.".to_owned()))?;
            sql.push(" where (e.listed_at < ")
                .push_bind(listed_at)
                .push(" or (e.listed_at = ")
                .push_bind(listed_at)
                .push(" and e.id > ")
                .push_bind(*id)
                .push("))");
        }
        (Some(Cursor::Title(title, id)), CatalogueSort::Title) => {
            sql.push(" where (e.sort_title > ")
                .push_bind(title.clone())
                .push(" or (e.sort_title = ")
                .push_bind(title.clone())
                .push(" and e.id > ")
                .push_bind(*id)
                .push("))");
        }
        (None, _) => {}
        (Some(_), _) => {
            return Err(AppError::BadRequest(
                "This results link belongs to another sort order; start the search again.".to_owned(),
            ))
        }
    }
    sql.push(match sort {
        CatalogueSort::Relevance => " order by e.rank desc, e.id",
        CatalogueSort::Newest => " order by e.listed_at desc, e.id",
        CatalogueSort::Title => " order by e.sort_title, e.id",
    });
    sql.push(" limit ").push_bind(search.limit + 1);

    let mut transaction = pool.begin().await?;
    sqlx::query(&format!(
        "set local pg_trgm.word_similarity_threshold = {TYPO_THRESHOLD}"
    ))
    .execute(&mut *transaction)
    .await?;
    let mut rows: Vec<EntryRow> = sql.build_query_as().fetch_all(&mut *transaction).await?;
    transaction.commit().await?;

    let next = crate::paging::end_page(&mut rows, search.limit, |last| match sort {
        CatalogueSort::Relevance => Cursor::Rank(last.rank.to_bits(), last.id),
        CatalogueSort::Newest => {
            Cursor::ListedAt((last.listed_at.unix_timestamp_nanos() / 1000) as i64, last.id)
        }
        CatalogueSort::Title => Cursor::Title(last.sort_title.clone(), last.id),
    });
    let entries = rows
        .into_iter()
        .map(|row| CatalogueEntry {
            kind: entry_kind(&row.kind),
            id: row.id,
            slug: row.slug,
            title: row.title,
            description: row.description,
            language_name: crate::ui::language_name(&row.language),
            language: row.language,
            category: row.category,
            level: row.level,
            owner_name: row.owner_name,
            item_count: row.item_count,
        })
        .collect();
    Ok((entries, next))
}

/// The languages and categories in use, for the filters: languages in the
/// order of their names.
pub async fn facets(pool: &PgPool) -> Result<(Vec<LanguageChoice>, Vec<String>), AppError> {
    let tags: Vec<String> = sqlx::query_scalar(
        "select distinct language from catalogue_entries where language <> '' order by 1 limit 200",
    )
    .fetch_all(pool)
    .await?;
    let mut languages: Vec<LanguageChoice> = tags
        .into_iter()
        .map(|tag| LanguageChoice {
            name: crate::ui::language_name(&tag),
            tag,
        })
        .collect();
    languages.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.tag.cmp(&b.tag)));
    let categories = sqlx::query_scalar(
        "select distinct category from catalogue_entries where category <> '' order by 1 limit 200",
    )
    .fetch_all(pool)
    .await?;
    Ok((languages, categories))
}

#[derive(sqlx::FromRow)]
struct SuggestionRow {
    kind: String,
    id: Uuid,
    slug: String,
    title: String,
}

/// Titles that contain what was typed, or look like a misspelling of it;
/// titles that start with it first.
pub async fn suggest(pool: &PgPool, typed: &str, limit: i64) -> Result<Vec<Suggestion>, AppError> {
    let contains = contains_like(typed);
    let starts_with = format!("{}%", contains.trim_start_matches('%'));
    let mut transaction = pool.begin().await?;
    sqlx::query(&format!(
        "set local pg_trgm.word_similarity_threshold = {TYPO_THRESHOLD}"
    ))
    .execute(&mut *transaction)
    .await?;
    let rows: Vec<SuggestionRow> = sqlx::query_as(
        "select kind, id, slug, title from catalogue_entries e
         where e.title ilike $1 or $3 <% e.title
         order by (e.title ilike $2) desc, word_similarity($3, e.title) desc, e.title, e.id
         limit $4",
    )
    .bind(&contains)
    .bind(&starts_with)
    .bind(typed)
    .bind(limit)
    .fetch_all(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let kind = entry_kind(&row.kind);
            let href = match kind {
                EntryKind::Deck => format!("/decks/{}", row.id),
                EntryKind::Course => format!("/courses/{}", row.slug),
            };
            Suggestion {
                kind,
                title: row.title,
                href,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_survive_the_round_trip_exactly() {
        let id = Uuid::from_u128(7);
        for cursor in [
            Cursor::Rank(0.607_927_1_f64.to_bits(), id),
            Cursor::Rank((f64::from(0.1_f32) + 0.3).to_bits(), id),
            Cursor::ListedAt(1_763_900_000_123_456, id),
            Cursor::Title("españa \"x\" ~ 日本".to_owned(), id),
        ] {
            assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        }
    }

    #[test]
    fn a_damaged_cursor_is_refused() {
        assert_eq!(Cursor::decode("zz"), None);
        assert_eq!(Cursor::decode("abc"), None);
        assert_eq!(Cursor::decode("7b7d"), None);
    }
}
