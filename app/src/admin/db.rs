//! Administration queries.

use sqlx::PgPool;
use uuid::Uuid;

use super::{AccountListQuery, AccountPage, AccountRow};
use crate::{
    auth::{Role, User},
    error::AppError,
};

/// One page of accounts ordered by email, filtered by `query.search`.
pub async fn list_accounts(
    pool: &PgPool,
    query: &AccountListQuery,
    page_size: i64,
) -> Result<AccountPage, AppError> {
    let pattern = format!("%{}%", escape_like(query.search.trim()));
    // One extra row tells whether another page follows.
    let mut accounts = sqlx::query_as!(
        AccountRow,
        r#"
        select id, email, display_name, role as "role: Role",
               to_char(created_at at time zone 'utc', 'YYYY-MM-DD') as "joined_on!"
        from users
        where (email ilike $1 or display_name ilike $1)
          and ($2::text is null or email > $2)
        order by email
        limit $3
        "#,
        pattern,
        query.after.as_deref(),
        page_size + 1,
    )
    .fetch_all(pool)
    .await?;
    let next_after = crate::paging::end_page(&mut accounts, page_size, |account| account.email.clone());
    Ok(AccountPage { accounts, next_after })
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Gives `user_id` the role `role`. Refuses to demote the last admin, so an
/// instance can never lock itself out of administration.
pub async fn change_role(pool: &PgPool, user_id: Uuid, role: Role) -> Result<User, AppError> {
    let mut tx = pool.begin().await?;
    // Two admins demoting each other at once must not both see "another admin left".
    sqlx::query!("select pg_advisory_xact_lock(hashtext('engram.admins'))")
        .execute(&mut *tx)
        .await?;
    let current_role =
        sqlx::query_scalar!(r#"select role as "role: Role" from users where id = $1"#, user_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    if current_role == Role::Admin && role != Role::Admin {
        let admins = sqlx::query_scalar!(r#"select count(*) as "count!" from users where role = 'admin'"#)
            .fetch_one(&mut *tx)
            .await?;
        if admins <= 1 {
            return Err(AppError::Conflict(
                "Engram needs at least one admin. Make someone else an admin first.".into(),
            ));
        }
    }
    let user = sqlx::query_as!(
        User,
        r#"update users set role = $2, updated_at = now() where id = $1
           returning id, email, display_name, role as "role: Role""#,
        user_id,
        role as Role,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(user)
}
