//! Note and card queries. A note and its cards always change together, in
//! the caller's transaction.

use sqlx::{types::Json, PgConnection, PgPool};
use uuid::Uuid;

use crate::note_types::{
    builtin::BuiltinNoteType,
    template::{GeneratedCard, NoteKind},
};
use crate::{
    error::AppError,
    note_types::{
        db::{find_note_type, NoteTypeRecord},
        NoteTypeChoice,
    },
};

/// Writes the built-in note types' current definitions, so that the Rust
/// definitions stay the single source of truth. Run at start-up.
pub async fn sync_builtin_note_types(pool: &PgPool) -> Result<(), AppError> {
    for note_type in BuiltinNoteType::ALL {
        let shape = note_type.shape();
        sqlx::query!(
            r#"
            insert into note_types (builtin, name, kind, fields, templates)
            values ($1, $2, $3, $4, $5)
            on conflict (builtin) do update
                set name = excluded.name, kind = excluded.kind,
                    fields = excluded.fields, templates = excluded.templates
            "#,
            note_type.key(),
            note_type.name(),
            shape.kind as NoteKind,
            &shape.fields,
            Json(&shape.templates) as _,
        )
        .execute(pool)
        .await?;
    }
    Ok(())
}

pub async fn builtin_note_type_id(
    connection: &mut PgConnection,
    note_type: BuiltinNoteType,
) -> Result<Uuid, AppError> {
    sqlx::query_scalar!("select id from note_types where builtin = $1", note_type.key())
        .fetch_optional(connection)
        .await?
        .ok_or_else(|| AppError::internal(format!("built-in note type {} is missing", note_type.key())))
}

/// A note as its editor needs it, with its type (whose shape it follows).
#[derive(Debug, Clone)]
pub struct NoteRecord {
    pub id: Uuid,
    pub deck_id: Uuid,
    pub note_type: NoteTypeRecord,
    pub fields: Vec<String>,
    pub tags: Vec<String>,
}

pub async fn find_note(pool: &PgPool, note_id: Uuid) -> Result<Option<NoteRecord>, AppError> {
    let row = sqlx::query!(
        r#"select n.id, n.deck_id, n.fields, n.tags, n.note_type_id
           from notes n where n.id = $1"#,
        note_id
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let note_type = find_note_type(pool, NoteTypeChoice::Custom(row.note_type_id))
        .await?
        .ok_or_else(|| AppError::internal(format!("note type {} is missing", row.note_type_id)))?;
    Ok(Some(NoteRecord {
        id: row.id,
        deck_id: row.deck_id,
        note_type,
        fields: row.fields,
        tags: row.tags,
    }))
}

/// Inserts a note of a built-in type with its cards and returns its id.
pub async fn insert_note(
    connection: &mut PgConnection,
    deck_id: Uuid,
    note_type: BuiltinNoteType,
    fields: &[String],
    tags: &[String],
    cards: &[GeneratedCard],
) -> Result<Uuid, AppError> {
    let note_type_id = builtin_note_type_id(&mut *connection, note_type).await?;
    insert_note_of_type(connection, deck_id, note_type_id, fields, tags, cards).await
}

/// Inserts a note with its cards and returns the note's id.
pub async fn insert_note_of_type(
    connection: &mut PgConnection,
    deck_id: Uuid,
    note_type_id: Uuid,
    fields: &[String],
    tags: &[String],
    cards: &[GeneratedCard],
) -> Result<Uuid, AppError> {
    let summary = CardSummary::of(cards);
    let note_id = sqlx::query_scalar!(
        "insert into notes (deck_id, note_type_id, fields, tags, card_count, first_front_html)
         values ($1, $2, $3, $4, $5, $6) returning id",
        deck_id,
        note_type_id,
        fields,
        tags,
        summary.card_count,
        summary.first_front_html,
    )
    .fetch_one(&mut *connection)
    .await?;
    upsert_cards(connection, deck_id, note_id, cards).await?;
    Ok(note_id)
}

/// Replaces a note's fields and regenerates its cards. A card whose ordinal
/// is still produced is updated in place and keeps its id (and so its
/// review history); cards no longer produced are deleted.
pub async fn update_note(
    connection: &mut PgConnection,
    note_id: Uuid,
    fields: &[String],
    tags: &[String],
    cards: &[GeneratedCard],
) -> Result<(), AppError> {
    let summary = CardSummary::of(cards);
    // Before this transaction locks the note or its cards: see
    // `migrations/*_lock_deck_for_new_cards.sql`.
    sqlx::query_scalar!(
        r#"select lock_deck_for_new_cards(deck_id) as "deck_id!" from notes where id = $1"#,
        note_id
    )
    .fetch_optional(&mut *connection)
    .await?;
    let deck_id = sqlx::query_scalar!(
        "update notes
         set fields = $2, tags = $3, card_count = $4, first_front_html = $5, updated_at = now()
         where id = $1 returning deck_id",
        note_id,
        fields,
        tags,
        summary.card_count,
        summary.first_front_html,
    )
    .fetch_optional(&mut *connection)
    .await?
    .ok_or(AppError::NotFound)?;
    let ordinals: Vec<i16> = cards.iter().map(|card| card.ordinal).collect();
    sqlx::query!(
        "delete from cards where note_id = $1 and ordinal <> all($2)",
        note_id,
        &ordinals
    )
    .execute(&mut *connection)
    .await?;
    upsert_cards(connection, deck_id, note_id, cards).await
}

/// The note's cards that learners have rated and that `cards` (the note's
/// cards after an edit) no longer has: deleting a card deletes every
/// learner's schedule of it. Counted from the schedules, whose `reps` are
/// the ratings still standing (an undone one does not count).
///
/// The cards are locked first, until the transaction ends: a first rating
/// being stored (its schedule's key holds the card) is waited for and
/// counted, and one that comes after waits for the edit, so no card is
/// deleted with a rating the author was not asked about.
pub async fn studied_cards_dropped(
    connection: &mut PgConnection,
    note_id: Uuid,
    cards: &[GeneratedCard],
) -> Result<crate::notes::StudiedCards, AppError> {
    let ordinals: Vec<i16> = cards.iter().map(|card| card.ordinal).collect();
    sqlx::query!(
        "select id from cards where note_id = $1 and ordinal <> all($2) order by id for update",
        note_id,
        &ordinals
    )
    .fetch_all(&mut *connection)
    .await?;
    let studied = sqlx::query!(
        r#"select count(distinct card_states.card_id) as "cards!",
                  coalesce(sum(card_states.reps), 0)::bigint as "ratings!",
                  count(distinct card_states.learner_id) as "learners!"
           from cards join card_states on card_states.card_id = cards.id
           where cards.note_id = $1 and cards.ordinal <> all($2) and card_states.reps > 0"#,
        note_id,
        &ordinals
    )
    .fetch_one(&mut *connection)
    .await?;
    Ok(crate::notes::StudiedCards {
        cards: studied.cards,
        ratings: studied.ratings,
        learners: studied.learners,
    })
}

/// What a note keeps about its cards for listing (see the migration
/// `note_card_summary`): written with the cards, so the two never disagree.
struct CardSummary<'a> {
    card_count: i32,
    first_front_html: &'a str,
}

impl<'a> CardSummary<'a> {
    fn of(cards: &'a [GeneratedCard]) -> Self {
        CardSummary {
            // At most MAX_CARDS_PER_NOTE cards, so the count always fits.
            card_count: i32::try_from(cards.len()).unwrap_or(i32::MAX),
            first_front_html: cards
                .iter()
                .min_by_key(|card| card.ordinal)
                .map_or("", |card| card.front_html.as_str()),
        }
    }
}

async fn upsert_cards(
    connection: &mut PgConnection,
    deck_id: Uuid,
    note_id: Uuid,
    cards: &[GeneratedCard],
) -> Result<(), AppError> {
    let ordinals: Vec<i16> = cards.iter().map(|card| card.ordinal).collect();
    let fronts: Vec<&str> = cards.iter().map(|card| card.front_html.as_str()).collect();
    let backs: Vec<&str> = cards.iter().map(|card| card.back_html.as_str()).collect();
    sqlx::query!(
        r#"
        insert into cards (deck_id, note_id, ordinal, front_html, back_html)
        select $1, $2, ordinal, front, back
        from unnest($3::smallint[], $4::text[], $5::text[]) as t(ordinal, front, back)
        on conflict on constraint cards_note_ordinal_key do update
            set front_html = excluded.front_html, back_html = excluded.back_html, updated_at = now()
        "#,
        deck_id,
        note_id,
        &ordinals,
        &fronts as &[&str],
        &backs as &[&str],
    )
    .execute(connection)
    .await?;
    Ok(())
}

pub async fn delete_note(pool: &PgPool, note_id: Uuid) -> Result<(), AppError> {
    sqlx::query!("delete from notes where id = $1", note_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Tags `owner_id` has used that start with `prefix`, for autocomplete.
pub async fn suggest_tags(
    pool: &PgPool,
    owner_id: Uuid,
    prefix: &str,
    limit: i64,
) -> Result<Vec<String>, AppError> {
    let pattern = format!(
        "{}%",
        prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let tags = sqlx::query_scalar!(
        r#"
        select distinct tag as "tag!"
        from notes n
        join decks d on d.id = n.deck_id
        cross join lateral unnest(n.tags) as tag
        where d.owner_id = $1 and tag ilike $2
        order by 1
        limit $3
        "#,
        owner_id,
        pattern,
        limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(tags)
}
