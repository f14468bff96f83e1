//! Deck queries.

use sqlx::{types::Json, PgPool};
use uuid::Uuid;

use super::{Deck, DeckSummary, ValidDeck, Visibility};
use crate::auth::{Role, User};
use crate::error::AppError;
use crate::notes::{NoteCursor, NoteListItem, NotesPage};
use crate::study::DeckStudy;

/// A deck by id, with its owner's name and the cards in its whole tree that
/// `viewer` may see (private subdecks of others are not counted).
pub async fn find_deck(
    pool: &PgPool,
    deck_id: Uuid,
    viewer: Option<&User>,
) -> Result<Option<Deck>, AppError> {
    let (viewer_id, viewer_is_admin) = viewer_filter(viewer);
    let deck = sqlx::query_as!(
        Deck,
        r#"
        select d.id, d.owner_id, u.display_name as owner_name, d.title, d.description, d.language,
               d.visibility as "visibility: Visibility", d.parent_id,
               deck_tree_card_count(d.id, $2, $3) as "card_count_with_subdecks!",
               (select count(*) from notes n where n.deck_id = d.id) as "note_count!"
        from decks d join users u on u.id = d.owner_id
        where d.id = $1
        "#,
        deck_id,
        viewer_id,
        viewer_is_admin,
    )
    .fetch_optional(pool)
    .await?;
    Ok(deck)
}

pub async fn create_deck(
    executor: impl sqlx::PgExecutor<'_>,
    owner_id: Uuid,
    deck: &ValidDeck,
) -> Result<Uuid, AppError> {
    let deck_id = sqlx::query_scalar!(
        r#"insert into decks (owner_id, title, description, language, visibility, parent_id)
           values ($1, $2, $3, $4, $5, $6) returning id"#,
        owner_id,
        deck.title,
        deck.description,
        deck.language,
        deck.visibility as Visibility,
        deck.parent_id,
    )
    .fetch_one(executor)
    .await?;
    Ok(deck_id)
}

/// Updates a deck's settings. Moving it under a new parent is checked for
/// cycles in the same transaction, under a lock that serialises moves, so
/// two moves at once cannot put decks inside each other.
pub async fn update_deck(pool: &PgPool, deck_id: Uuid, deck: &ValidDeck) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock(hashtext('engram.deck_tree'))")
        .execute(&mut *tx)
        .await?;
    if let Some(parent_id) = deck.parent_id {
        if would_create_cycle(&mut *tx, deck_id, parent_id).await? {
            return Err(AppError::field(
                "parent_id",
                "A deck cannot be placed inside itself.",
            ));
        }
    }
    sqlx::query!(
        r#"update decks set title = $2, description = $3, language = $4, visibility = $5, parent_id = $6,
                  updated_at = now()
           where id = $1"#,
        deck_id,
        deck.title,
        deck.description,
        deck.language,
        deck.visibility as Visibility,
        deck.parent_id,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether making `parent_id` the parent of `deck_id` would put the deck
/// inside itself.
pub async fn would_create_cycle(
    executor: impl sqlx::PgExecutor<'_>,
    deck_id: Uuid,
    parent_id: Uuid,
) -> Result<bool, AppError> {
    let cycle = sqlx::query_scalar!(
        r#"
        with recursive ancestors as (
            select id, parent_id from decks where id = $2
            union
            select d.id, d.parent_id from decks d join ancestors a on d.id = a.parent_id
        )
        select exists (select 1 from ancestors where id = $1) as "cycle!"
        "#,
        deck_id,
        parent_id,
    )
    .fetch_one(executor)
    .await?;
    Ok(cycle)
}

/// What a deck's page shows, read in one statement (SQL `deck_page_of`,
/// whose plan PostgreSQL keeps): the deck, the subdecks under it that
/// `viewer` may see, the page of its notes after `after`, and whether a
/// signed-in viewer studies it.
pub struct DeckPageRead {
    pub deck: Deck,
    pub subdecks: Vec<DeckSummary>,
    pub notes: NotesPage,
    /// `None` when signed out.
    pub study: Option<DeckStudy>,
}

/// A note of the page as `deck_page_of` lists it (SQL type `deck_page_note`):
/// the listed note and where it stands in the deck's order, for the next
/// page's cursor.
#[derive(Debug, sqlx::Type)]
#[sqlx(type_name = "deck_page_note")]
struct NoteRow {
    id: Uuid,
    note_type_name: String,
    front_html: String,
    card_count: i64,
    tags: Vec<String>,
    created_at_micros: i64,
}

/// The deck page of `deck_id` (see [`DeckPageRead`]) with up to `page_size`
/// notes; `None` when there is no such deck. Whether `viewer` may see the
/// deck is not checked here (`access::visible_deck_page` does).
pub async fn read_deck_page(
    pool: &PgPool,
    deck_id: Uuid,
    viewer: Option<&User>,
    after: Option<&NoteCursor>,
    page_size: i64,
) -> Result<Option<DeckPageRead>, AppError> {
    let (viewer_id, viewer_is_admin) = viewer_filter(viewer);
    let Some(row) = sqlx::query!(
        r#"
        select id as "id!", owner_id as "owner_id!", owner_name as "owner_name!",
               title as "title!", description as "description!", language as "language!",
               visibility as "visibility!: Visibility", parent_id,
               card_count_with_subdecks as "card_count_with_subdecks!",
               note_count as "note_count!",
               subdecks as "subdecks!: Json<Vec<DeckSummary>>",
               notes as "notes!: Vec<NoteRow>",
               studied as "studied!", chosen as "chosen!", notes_before as "notes_before!",
               previous_created_at_micros, previous_note
        from deck_page_of($1, $2, $3, $4, $5, $6, $7)
        "#,
        deck_id,
        viewer_id,
        viewer_is_admin,
        viewer.is_some(),
        after.map(|cursor| cursor.created_at_micros),
        after.map(|cursor| cursor.id),
        // One note more than the page shows tells whether a next page exists.
        i32::try_from(page_size + 1).unwrap_or(i32::MAX),
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let mut rows = row.notes;
    let next = crate::paging::end_page(&mut rows, page_size, |last| {
        NoteCursor {
            created_at_micros: last.created_at_micros,
            id: last.id,
        }
        .encode()
    });
    let notes = rows
        .into_iter()
        .map(|row| NoteListItem {
            id: row.id,
            note_type_name: row.note_type_name,
            front_html: row.front_html,
            card_count: row.card_count,
            tags: row.tags,
        })
        .collect();
    Ok(Some(DeckPageRead {
        deck: Deck {
            id: row.id,
            owner_id: row.owner_id,
            owner_name: row.owner_name,
            title: row.title,
            description: row.description,
            language: row.language,
            visibility: row.visibility,
            parent_id: row.parent_id,
            card_count_with_subdecks: row.card_count_with_subdecks,
            note_count: row.note_count,
        },
        subdecks: row.subdecks.0,
        notes: NotesPage {
            notes,
            next,
            previous: after.map(|_| match (row.previous_created_at_micros, row.previous_note) {
                (Some(created_at_micros), Some(id)) => NoteCursor {
                    created_at_micros,
                    id,
                }
                .encode(),
                // The page before is the first, which has no cursor.
                _ => String::new(),
            }),
            notes_before: row.notes_before,
        },
        study: viewer.map(|_| match (row.studied, row.chosen) {
            (true, true) => DeckStudy::Chosen,
            (true, false) => DeckStudy::Studied,
            (false, _) => DeckStudy::NotStudied,
        }),
    }))
}

/// Deletes a deck with its subdecks, notes and cards.
pub async fn delete_deck(pool: &PgPool, deck_id: Uuid) -> Result<(), AppError> {
    sqlx::query!("delete from decks where id = $1", deck_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// The viewer's id (nil for visitors) and whether they are an admin, for
/// queries that hide other people's private decks.
fn viewer_filter(viewer: Option<&User>) -> (Uuid, bool) {
    viewer.map_or((Uuid::nil(), false), |viewer| {
        (viewer.id, viewer.role == Role::Admin)
    })
}
