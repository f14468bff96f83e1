//! The dashboard's read: one statement, SQL `dashboard_of`, which gives
//! each of the page's lists as JSON. Five separate reads (a clock read among
//! them) cost the server and the database more in round trips than in the
//! reads themselves.

use sqlx::types::Json;

use super::Dashboard;
use crate::{
    auth::{Role, User},
    courses::CourseListItem,
    decks::DeckSummary,
    error::AppError,
    study::{
        db::StudiedDeckCounts,
        preset::{DEFAULT_NEW_CARDS_PER_DAY, DEFAULT_REVIEWS_PER_DAY},
    },
};

/// Everything `user`'s dashboard shows at `now` (Unix seconds): the courses
/// they teach only for teachers and admins.
pub async fn load_dashboard(
    executor: impl sqlx::PgExecutor<'_>,
    user: User,
    now: i64,
) -> Result<Dashboard, AppError> {
    let lists = sqlx::query!(
        r#"
        select decks as "decks!: Json<Vec<DeckSummary>>",
               teaching as "teaching!: Json<Vec<CourseListItem>>",
               studying as "studying!: Json<Vec<CourseListItem>>",
               studied as "studied!: Json<Vec<StudiedDeckCounts>>"
        from dashboard_of($1, $2, to_timestamp($3), $4, $5)
        "#,
        user.id,
        user.role >= Role::Teacher,
        now as f64,
        // What a deck without a preset of its own allows a day: the counts
        // stop there (see `StudiedDeckCounts::left_today`).
        DEFAULT_NEW_CARDS_PER_DAY as i32,
        DEFAULT_REVIEWS_PER_DAY as i32,
    )
    .fetch_one(executor)
    .await?;
    Ok(Dashboard {
        user,
        decks: lists.decks.0,
        studied: lists
            .studied
            .0
            .into_iter()
            .map(StudiedDeckCounts::left_today)
            .collect(),
        teaching: lists.teaching.0,
        studying: lists.studying.0,
    })
}
