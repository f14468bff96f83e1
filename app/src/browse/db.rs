//! Card browser queries: a parsed search becomes one SQL statement, always
//! limited to decks the user owns.

use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Postgres, QueryBuilder, Transaction};
use uuid::Uuid;

use super::{
    query::{contains_like, wildcard_to_like, CardQuery, Filter},
    BrowseSort, CardRow, DeckChoice, Direction,
};
use crate::error::AppError;

/// Where a page stopped: the last row's sort key as PostgreSQL prints it
/// (exact for timestamps and text alike) and its card id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub key: String,
    pub card_id: Uuid,
}

/// A validated search of one user's cards.
pub struct CardSearch<'a> {
    pub owner_id: Uuid,
    pub query: &'a CardQuery,
    pub sort: BrowseSort,
    pub direction: Direction,
    pub after: Option<Cursor>,
    pub limit: i64,
}

impl Cursor {
    /// Whether `key` is something `sort` can have produced, so that the
    /// cast in SQL cannot fail. A cursor comes back from the browser, and a
    /// forged key that PostgreSQL cannot read as a date answered 500.
    pub fn fits(&self, sort: BrowseSort) -> bool {
        match sort_key(sort).1 {
            "timestamptz" => is_printed_timestamp(&self.key),
            _ => true,
        }
    }
}

/// A `timestamptz` as PostgreSQL prints it on our connections (sqlx sets
/// `DateStyle = ISO` and `TimeZone = UTC`): `2026-11-23 03:12:41.688319+00`,
/// fraction optional, or `infinity`.
fn is_printed_timestamp(key: &str) -> bool {
    if key == "infinity" {
        return true;
    }
    let Some(key) = key.strip_suffix("+00") else {
        return false;
    };
    let (seconds_part, micros) = match key.split_once('.') {
        Some((whole, fraction))
            if (1..=6).contains(&fraction.len()) && fraction.bytes().all(|byte| byte.is_ascii_digit()) =>
        {
            (whole, format!("{fraction:0<6}").parse::<u32>().ok())
        }
        Some(_) => return false,
        None => (key, Some(0)),
    };
    let bytes = seconds_part.as_bytes();
    let shape_is_right = bytes.len() == 19
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            10 => *byte == b' ',
            13 | 16 => *byte == b':',
            _ => byte.is_ascii_digit(),
        });
    if !shape_is_right {
        return false;
    }
    let number = |range: std::ops::Range<usize>| seconds_part[range].parse::<u32>().ok();
    let date = (number(0..4), number(5..7), number(8..10));
    let clock = (number(11..13), number(14..16), number(17..19), micros);
    match (date, clock) {
        ((Some(year), Some(month), Some(day)), (Some(hour), Some(minute), Some(second), Some(micros))) => {
            let date = u8::try_from(month)
                .ok()
                .and_then(|month| time::Month::try_from(month).ok())
                .and_then(|month| time::Date::from_calendar_date(year as i32, month, day as u8).ok());
            let clock = time::Time::from_hms_micro(hour as u8, minute as u8, second as u8, micros).ok();
            // PostgreSQL prints years BC with an " BC" suffix, so a year 0
            // is not one of its dates.
            year >= 1 && date.is_some() && clock.is_some()
        }
        _ => false,
    }
}

/// The SQL expression a sort orders by and the type its cursor is cast to.
fn sort_key(sort: BrowseSort) -> (&'static str, &'static str) {
    match sort {
        BrowseSort::Created => ("c.created_at", "timestamptz"),
        BrowseSort::Edited => ("n.updated_at", "timestamptz"),
        BrowseSort::Text => ("lower(n.fields[1])", "text"),
        BrowseSort::Deck => ("lower(d.title)", "text"),
        // New cards have no due date; 'infinity' sorts them after every date.
        BrowseSort::Due => ("coalesce(s.due_at, 'infinity')", "timestamptz"),
    }
}

/// `from … where …` shared by the page and its count.
fn push_matching_cards(builder: &mut QueryBuilder<'_, Postgres>, owner_id: Uuid, query: &CardQuery) {
    // Due dates are the viewer's own: `s` is their state for the card, if
    // they have studied it (the browser lists only their own decks' cards).
    builder.push(
        " from cards c join notes n on n.id = c.note_id join decks d on d.id = c.deck_id \
          join note_types nt on nt.id = n.note_type_id \
          left join card_states s on s.card_id = c.id and s.learner_id = d.owner_id \
          where d.owner_id = ",
    );
    builder.push_bind(owner_id);
    for term in &query.terms {
        builder.push(if term.negated { " and not " } else { " and " });
        match &term.filter {
            Filter::Text(text) => {
                builder.push("(array_to_string(n.fields, ' ') ilike ");
                builder.push_bind(contains_like(text));
                builder.push(")");
            }
            Filter::Deck(pattern) => {
                // Like Anki, `deck:Spanish` includes Spanish's subdecks.
                builder.push(
                    "(c.deck_id in (with recursive tree as (\
                       select id from decks where owner_id = ",
                );
                builder.push_bind(owner_id);
                builder.push(" and title ilike ");
                builder.push_bind(wildcard_to_like(pattern));
                builder.push(" union select child.id from decks child join tree on child.parent_id = tree.id) select id from tree))");
            }
            Filter::Tag(pattern) => {
                builder.push("(exists (select 1 from unnest(n.tags) as tag where tag ilike ");
                builder.push_bind(wildcard_to_like(pattern));
                builder.push("))");
            }
            Filter::IsNew => {
                builder.push("(s.due_at is null)");
            }
            // `coalesce`: for a new card `is:due` is false, so `-is:due` is true.
            Filter::IsDue => {
                builder.push("(coalesce(s.due_at <= now(), false))");
            }
            // The viewer's own holds (`card_flags`), as the study queue
            // leaves them out.
            Filter::IsSuspended => {
                builder.push(
                    "(exists (select 1 from card_flags f                        where f.learner_id = d.owner_id and f.card_id = c.id and f.suspended))",
                );
            }
            Filter::IsBuried => {
                builder.push(
                    "(exists (select 1 from card_flags f                        where f.learner_id = d.owner_id and f.card_id = c.id and f.buried_until > now()))",
                );
            }
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    card_id: Uuid,
    note_id: Uuid,
    deck_id: Uuid,
    deck_title: String,
    note_type: String,
    card_name: String,
    text: String,
    tags: Vec<String>,
    due: Option<String>,
    created: String,
    sort_key: String,
}

/// Characters of the card's front, as plain text, shown in the table.
const TEXT_PREVIEW_CHARS: usize = 160;

/// One page of matching cards, plus the cursor of the next page.
pub async fn search_cards(
    pool: &PgPool,
    search: &CardSearch<'_>,
) -> Result<(Vec<CardRow>, Option<Cursor>), AppError> {
    let (key, key_type) = sort_key(search.sort);
    let order = match search.direction {
        Direction::Ascending => "asc",
        Direction::Descending => "desc",
    };
    let mut builder = QueryBuilder::new(format!(
        "select c.id as card_id, c.note_id, d.id as deck_id, d.title as deck_title, nt.name as note_type, \
         case when nt.kind = 'cloze' then 'Cloze ' || c.ordinal \
              else coalesce(nt.templates -> c.ordinal::int ->> 'name', 'Card ' || (c.ordinal + 1)) end as card_name, \
         c.front_html as text, n.tags, to_char(s.due_at, 'YYYY-MM-DD') as due, \
         to_char(c.created_at, 'YYYY-MM-DD') as created, ({key})::text as sort_key"
    ));
    push_matching_cards(&mut builder, search.owner_id, search.query);
    if let Some(after) = &search.after {
        let comparison = match search.direction {
            Direction::Ascending => ">",
            Direction::Descending => "<",
        };
        builder.push(format!(" and ({key}, c.id) {comparison} ("));
        builder.push_bind(after.key.clone());
        builder.push(format!("::{key_type}, "));
        builder.push_bind(after.card_id);
        builder.push(")");
    }
    builder.push(format!(" order by {key} {order}, c.id {order} limit "));
    builder.push_bind(search.limit + 1);
    let mut rows: Vec<Row> = builder.build_query_as().fetch_all(pool).await?;
    let next = crate::paging::end_page(&mut rows, search.limit, |row| Cursor {
        key: row.sort_key.clone(),
        card_id: row.card_id,
    });
    let rows = rows
        .into_iter()
        .map(|row| CardRow {
            card_id: row.card_id,
            note_id: row.note_id,
            deck_id: row.deck_id,
            deck_title: row.deck_title,
            note_type: row.note_type,
            card_name: row.card_name,
            text: crate::ui::shortened(&crate::content::plain_text(&row.text), TEXT_PREVIEW_CHARS),
            tags: row.tags,
            due: row.due,
            created: row.created,
        })
        .collect();
    Ok((rows, next))
}

/// How many of the owner's cards match `query`.
pub async fn count_cards(pool: &PgPool, owner_id: Uuid, query: &CardQuery) -> Result<i64, AppError> {
    let mut builder = QueryBuilder::new("select count(*)");
    push_matching_cards(&mut builder, owner_id, query);
    let (count,): (i64,) = builder.build_query_as().fetch_one(pool).await?;
    Ok(count)
}

/// The owner's decks, subdecks as `Parent › Child`, in that order.
pub async fn deck_choices(pool: &PgPool, owner_id: Uuid) -> Result<Vec<DeckChoice>, AppError> {
    let choices = sqlx::query_as!(
        DeckChoice,
        r#"
        with recursive tree as (
            select id, title as path from decks where owner_id = $1 and parent_id is null
            union all
            select child.id, tree.path || ' › ' || child.title
            from decks child join tree on child.parent_id = tree.id
        )
        select id as "id!", path as "path!" from tree order by lower(path)
        "#,
        owner_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(choices)
}

/// Takes the lock of the deck that cards are about to be moved into, before
/// the transaction locks their notes: see
/// `migrations/*_lock_deck_for_new_cards.sql`.
pub async fn lock_deck_for_arriving_cards(
    tx: &mut Transaction<'_, Postgres>,
    deck_id: Uuid,
) -> Result<(), AppError> {
    sqlx::query_scalar!(r#"select lock_deck_for_new_cards($1) as "deck_id!""#, deck_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(())
}

/// The notes behind `card_ids`, locked for the change, if every card is in
/// a deck `owner_id` owns. `None` when any is not, so a bulk action changes
/// all the selected cards or none.
pub async fn lock_owned_notes(
    tx: &mut Transaction<'_, Postgres>,
    owner_id: Uuid,
    card_ids: &[Uuid],
) -> Result<Option<Vec<Uuid>>, AppError> {
    let rows = sqlx::query!(
        r#"
        select c.id as card_id, n.id as note_id, d.owner_id
        from cards c join notes n on n.id = c.note_id join decks d on d.id = n.deck_id
        where c.id = any($1)
        for update of n
        "#,
        card_ids,
    )
    .fetch_all(&mut **tx)
    .await?;
    let all_found = rows.len() == card_ids.len();
    if !all_found || rows.iter().any(|row| row.owner_id != owner_id) {
        return Ok(None);
    }
    let mut note_ids: Vec<Uuid> = rows.into_iter().map(|row| row.note_id).collect();
    note_ids.sort_unstable();
    note_ids.dedup();
    Ok(Some(note_ids))
}

/// Moves whole notes, all their cards with them: a note's cards share its
/// deck, so editing the note later regenerates them in the same place.
pub async fn move_notes(
    tx: &mut Transaction<'_, Postgres>,
    note_ids: &[Uuid],
    deck_id: Uuid,
) -> Result<u64, AppError> {
    sqlx::query!(
        "update notes set deck_id = $2, updated_at = now() where id = any($1) and deck_id <> $2",
        note_ids,
        deck_id,
    )
    .execute(&mut **tx)
    .await?;
    let moved = sqlx::query!(
        "update cards set deck_id = $2, updated_at = now() where note_id = any($1) and deck_id <> $2",
        note_ids,
        deck_id,
    )
    .execute(&mut **tx)
    .await?;
    Ok(moved.rows_affected())
}

/// How many of the notes would have more than `max_tags` tags after
/// [`add_tags`].
pub async fn count_notes_over_tag_limit(
    tx: &mut Transaction<'_, Postgres>,
    note_ids: &[Uuid],
    tags: &[String],
    max_tags: i64,
) -> Result<i64, AppError> {
    let count = sqlx::query_scalar!(
        r#"
        select count(*) as "count!" from notes n
        where n.id = any($1)
          and cardinality(n.tags) + (
              select count(*) from unnest($2::text[]) as tag
              where lower(tag) <> all(select lower(existing) from unnest(n.tags) as existing)
          ) > $3
        "#,
        note_ids,
        tags,
        max_tags,
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(count)
}

/// Adds each of `tags` that a note lacks (compared without regard to case,
/// as the note editor does), after the note's own tags.
pub async fn add_tags(
    tx: &mut Transaction<'_, Postgres>,
    note_ids: &[Uuid],
    tags: &[String],
) -> Result<u64, AppError> {
    let changed = sqlx::query!(
        r#"
        with missing as (
            select n.id, array(
                select tag from unnest($2::text[]) with ordinality as t(tag, position)
                where lower(tag) <> all(select lower(existing) from unnest(n.tags) as existing)
                order by position) as tags
            from notes n where n.id = any($1)
        )
        update notes n
        set tags = n.tags || missing.tags, updated_at = now()
        from missing
        where missing.id = n.id and cardinality(missing.tags) > 0
        "#,
        note_ids,
        tags,
    )
    .execute(&mut **tx)
    .await?;
    Ok(changed.rows_affected())
}

/// Removes `tags` (compared without regard to case) from the notes.
pub async fn remove_tags(
    tx: &mut Transaction<'_, Postgres>,
    note_ids: &[Uuid],
    tags: &[String],
) -> Result<u64, AppError> {
    let lowered: Vec<String> = tags.iter().map(|tag| tag.to_lowercase()).collect();
    let changed = sqlx::query!(
        r#"
        update notes n
        set tags = array(select tag from unnest(n.tags) with ordinality as t(tag, position)
                         where lower(tag) <> all($2) order by position),
            updated_at = now()
        where n.id = any($1) and exists (select 1 from unnest(n.tags) as tag where lower(tag) = any($2))
        "#,
        note_ids,
        &lowered,
    )
    .execute(&mut **tx)
    .await?;
    Ok(changed.rows_affected())
}

/// Deletes the notes and with them all their cards.
pub async fn delete_notes(tx: &mut Transaction<'_, Postgres>, note_ids: &[Uuid]) -> Result<u64, AppError> {
    let cards = sqlx::query_scalar!(
        r#"select count(*) as "count!" from cards where note_id = any($1)"#,
        note_ids
    )
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query!("delete from notes where id = any($1)", note_ids)
        .execute(&mut **tx)
        .await?;
    Ok(cards as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_as_postgres_prints_them_are_accepted() {
        for key in [
            "2026-11-23 03:12:41.688319+00",
            "2026-11-23 03:12:41.5+00",
            "2024-02-29 00:00:00+00",
            "infinity",
        ] {
            assert!(is_printed_timestamp(key), "{key}");
        }
    }

    #[test]
    fn a_forged_timestamp_key_is_refused_before_it_reaches_sql() {
        for key in [
            "",
            "not a date",
            "2026-11-23",
            "2026-02-30 00:00:00+00",
            "2026-11-23 25:00:00+00",
            "2026-11-23 03:12:41.1234567+00",
            "2026-11-23 03:12:41+01",
            "2026-11-23T03:12:41+00",
            "2026-11-23 03:12:41.+00",
            "-infinity",
            "2026-11-23 03:12:4\u{0}+00",
        ] {
            assert!(!is_printed_timestamp(key), "{key:?}");
        }
    }

    #[test]
    fn only_date_sorts_constrain_the_key() {
        let cursor = Cursor {
            key: "anything at all".to_owned(),
            card_id: Uuid::nil(),
        };
        assert!(cursor.fits(BrowseSort::Text));
        assert!(cursor.fits(BrowseSort::Deck));
        assert!(!cursor.fits(BrowseSort::Created));
        assert!(!cursor.fits(BrowseSort::Due));
    }
}
