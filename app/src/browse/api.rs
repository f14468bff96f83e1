//! Card browser server functions: every one works on the caller's own
//! cards only, so there is nothing of anyone else's to leak or change.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{BrowsePage, BrowseQuery, BulkOutcome};
use crate::error::AppError;

#[server(endpoint = "browse/search", input = GetUrl)]
pub async fn browse_cards(#[server(default)] query: BrowseQuery) -> Result<BrowsePage, AppError> {
    use super::{
        db::{self, CardSearch, Cursor},
        query::{parse_card_query, CardQuery},
        BrowseSort, Direction, PAGE_SIZE,
    };
    use crate::{auth::session, paging::decode_cursor, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let mut errors = crate::ui::validate::FieldErrors::new();
    let card_query = parse_card_query(query.q.trim()).unwrap_or_else(|error| {
        errors.add("q", error.0);
        CardQuery { terms: Vec::new() }
    });
    let sort = match query.sort.trim() {
        "" => BrowseSort::default(),
        other => BrowseSort::parse(other).unwrap_or_else(|| {
            errors.add("sort", "Choose an order from the list.");
            BrowseSort::default()
        }),
    };
    let direction = match query.dir.trim() {
        "" => sort.natural_direction(),
        other => Direction::parse(other).unwrap_or_else(|| {
            errors.add("dir", "Choose ascending or descending.");
            sort.natural_direction()
        }),
    };
    let after = match query.after.trim() {
        "" => None,
        cursor => {
            let cursor = decode_cursor::<Cursor>(cursor).filter(|cursor| cursor.fits(sort));
            if cursor.is_none() {
                errors.add(
                    "after",
                    "This page link is out of date. Start again from the first page.".to_owned(),
                );
            }
            cursor
        }
    };
    errors.into_result(())?;
    let search = CardSearch {
        owner_id: user.id,
        query: &card_query,
        sort,
        direction,
        after,
        limit: PAGE_SIZE,
    };
    let (rows, next) = db::search_cards(&state.pool, &search).await?;
    let total = db::count_cards(&state.pool, user.id, &card_query).await?;
    let decks = db::deck_choices(&state.pool, user.id).await?;
    Ok(BrowsePage {
        rows,
        total,
        next: next.map(|cursor| crate::paging::encode_cursor(&cursor)),
        decks,
    })
}

/// A bulk action from the browser's toolbar. `action` is the name of the
/// button that was pressed: `move`, `add-tags`, `remove-tags` or `delete`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BulkEdit {
    pub action: String,
    #[serde(default)]
    pub card_ids: Vec<Uuid>,
    /// The deck to move to, for `move`.
    #[serde(default)]
    pub deck_id: String,
    /// Tags as typed, for `add-tags` and `remove-tags`.
    #[serde(default)]
    pub tags: String,
}

/// Changes the notes behind the selected cards: all of them in one
/// transaction, or none when any card is not the caller's.
#[server(endpoint = "browse/bulk")]
pub async fn bulk_edit_cards(input: BulkEdit) -> Result<BulkOutcome, AppError> {
    use super::{
        db, MAX_BULK_CARDS, NOT_ONE_OF_YOUR_DECKS, NO_CARDS_SELECTED, NO_DECK_CHOSEN, NO_TAGS_TYPED,
    };
    use crate::{
        auth::session,
        decks::access,
        notes::{parse_tags, MAX_TAGS},
        state::app_state,
    };

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let mut card_ids = input.card_ids.clone();
    card_ids.sort_unstable();
    card_ids.dedup();
    if card_ids.is_empty() {
        return Err(AppError::field("card_ids", NO_CARDS_SELECTED));
    }
    if card_ids.len() > MAX_BULK_CARDS {
        return Err(AppError::field(
            "card_ids",
            format!("Select at most {MAX_BULK_CARDS} cards at a time."),
        ));
    }
    let plural = |count: u64, one: &str, many: &str| crate::ui::plural(count as i64, one, many);
    let tags = match input.action.as_str() {
        "add-tags" | "remove-tags" => {
            let tags = parse_tags(&input.tags)?;
            if tags.is_empty() {
                return Err(AppError::field("tags", NO_TAGS_TYPED));
            }
            tags
        }
        _ => Vec::new(),
    };
    let target_deck = match input.action.as_str() {
        "move" => {
            let deck_id = input
                .deck_id
                .trim()
                .parse::<Uuid>()
                .map_err(|_| AppError::field("deck_id", NO_DECK_CHOSEN))?;
            let deck = access::editable_deck(&state, &user, deck_id).await?;
            if deck.owner_id != user.id {
                return Err(AppError::field("deck_id", NOT_ONE_OF_YOUR_DECKS));
            }
            Some(deck)
        }
        _ => None,
    };

    let mut tx = state.pool.begin().await?;
    if let Some(deck) = &target_deck {
        db::lock_deck_for_arriving_cards(&mut tx, deck.id).await?;
    }
    let note_ids = db::lock_owned_notes(&mut tx, user.id, &card_ids)
        .await?
        // Someone else's card, or one deleted since the page was shown.
        .ok_or_else(|| {
            AppError::Conflict(
                "Some of the selected cards no longer exist. Reload the page and try again.".into(),
            )
        })?;
    let message = match (input.action.as_str(), target_deck) {
        ("move", Some(deck)) => {
            let moved = db::move_notes(&mut tx, &note_ids, deck.id).await?;
            format!("Moved {} to “{}”.", plural(moved, "card", "cards"), deck.title)
        }
        ("add-tags", _) => {
            let over = db::count_notes_over_tag_limit(&mut tx, &note_ids, &tags, MAX_TAGS as i64).await?;
            if over > 0 {
                return Err(AppError::field(
                    "tags",
                    format!(
                        "{} would have more than {MAX_TAGS} tags.",
                        plural(over as u64, "note", "notes")
                    ),
                ));
            }
            let changed = db::add_tags(&mut tx, &note_ids, &tags).await?;
            format!("Tagged {}.", plural(changed, "note", "notes"))
        }
        ("remove-tags", _) => {
            let changed = db::remove_tags(&mut tx, &note_ids, &tags).await?;
            format!("Removed the tags from {}.", plural(changed, "note", "notes"))
        }
        ("delete", _) => {
            let cards = db::delete_notes(&mut tx, &note_ids).await?;
            format!(
                "Deleted {} and {}.",
                plural(note_ids.len() as u64, "note", "notes"),
                plural(cards, "card", "cards")
            )
        }
        _ => return Err(AppError::BadRequest("unknown bulk action".into())),
    };
    tx.commit().await?;
    if let Some(saved) = super::bulk_saved_value(&input.action) {
        crate::plain_post::back_saying_saved(saved, crate::routes::BROWSE);
    }
    Ok(BulkOutcome { message })
}
