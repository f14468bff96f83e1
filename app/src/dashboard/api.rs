//! The dashboard's server function: everything the page shows, in one call.

use leptos::prelude::*;

use super::Dashboard;
use crate::error::AppError;

#[server(endpoint = "dashboard", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    super::db::load_dashboard(&state.pool, user, now).await
}
