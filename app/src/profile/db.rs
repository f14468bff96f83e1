//! Settings queries.

use sqlx::PgPool;
use uuid::Uuid;

use super::{StudyDays, ValidStudyDays};
use crate::error::AppError;

pub async fn study_days(pool: &PgPool, user_id: Uuid) -> Result<StudyDays, AppError> {
    let row = sqlx::query!(
        "select time_zone, day_starts_at from users where id = $1",
        user_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::Unauthenticated)?;
    Ok(StudyDays {
        time_zone: row.time_zone,
        day_starts_at: u8::try_from(row.day_starts_at).unwrap_or(0),
    })
}

/// The zones a learner may choose: PostgreSQL's own list, without its
/// aliases for other systems (`posix/…`, `Etc/…`, `SystemV/…`), plus UTC.
pub async fn time_zone_names(pool: &PgPool) -> Result<Vec<String>, AppError> {
    let names = sqlx::query_scalar!(
        r#"select name as "name!" from pg_timezone_names
           where (name like '%/%' and name !~ '^(posix|Etc|SystemV|right)/') or name = 'UTC'
           order by name"#
    )
    .fetch_all(pool)
    .await?;
    Ok(names)
}

pub async fn is_known_time_zone(pool: &PgPool, zone: &str) -> Result<bool, AppError> {
    let known = sqlx::query_scalar!(
        r#"select exists (select 1 from pg_timezone_names where name = $1) as "known!""#,
        zone
    )
    .fetch_one(pool)
    .await?;
    Ok(known)
}

pub async fn save_study_days(pool: &PgPool, user_id: Uuid, days: &ValidStudyDays) -> Result<(), AppError> {
    sqlx::query!(
        "update users set time_zone = $2, day_starts_at = $3, updated_at = now() where id = $1",
        user_id,
        days.time_zone,
        i16::from(days.day_starts_at),
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Sets the zone the browser reported, unless the learner has one already
/// (detected earlier, or chosen: a choice is never overwritten).
pub async fn adopt_time_zone(pool: &PgPool, user_id: Uuid, zone: &str) -> Result<bool, AppError> {
    let adopted = sqlx::query!(
        "update users set time_zone = $2 where id = $1 and time_zone is null",
        user_id,
        zone
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(adopted > 0)
}
