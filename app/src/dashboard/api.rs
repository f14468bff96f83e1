//! The dashboard's server function: everything the page shows, in one call.

use leptos::prelude::*;

use super::Dashboard;
#[cfg(feature = "ssr")]
use crate::auth::Role;
use crate::error::AppError;

#[server(endpoint = "dashboard", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::{auth::session, courses::db as courses, decks::db, state::app_state, study::db as study};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    // One connection for the page's reads: the pool checks a connection
    // with a round trip each time it takes one back, once per page this way.
    let mut connection = state.pool.acquire().await?;
    let decks = db::list_owned_decks(&mut *connection, user.id).await?;
    let teaching = if user.role >= Role::Teacher {
        courses::list_owned_courses(&mut *connection, user.id).await?
    } else {
        Vec::new()
    };
    let studying = courses::list_enrolled_courses(&mut *connection, user.id).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let clock = study::learner_clock(&mut *connection, user.id, now).await?;
    let studied = study::studied_decks_today(&mut *connection, user.id, now, clock).await?;
    Ok(Dashboard {
        user,
        decks,
        studied,
        teaching,
        studying,
    })
}
