//! Administration server functions. Every one checks for the admin role.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{AccountListQuery, AccountPage};
use crate::{
    auth::{Role, User},
    error::AppError,
};

#[server(endpoint = "admin/accounts", input = GetUrl)]
pub async fn list_accounts(query: AccountListQuery) -> Result<AccountPage, AppError> {
    use crate::{
        admin::{db, ACCOUNTS_PER_PAGE},
        auth::session,
        state::app_state,
    };

    let state = app_state()?;
    session::require_role(&state, Role::Admin).await?;
    if query.search.chars().count() > 200 {
        return Err(AppError::field("q", "Search for at most 200 characters."));
    }
    db::list_accounts(&state.pool, &query, ACCOUNTS_PER_PAGE).await
}

#[derive(Clone, Serialize, Deserialize)]
pub struct ChangeRoleInput {
    pub user_id: Uuid,
    pub role: Role,
    /// The admin's own password, re-entered to confirm the change.
    #[serde(default)]
    pub password: String,
}

impl std::fmt::Debug for ChangeRoleInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeRoleInput")
            .field("user_id", &self.user_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// Gives an account a role. The admin confirms with their own password, so a
/// hijacked or unattended admin session cannot hand out roles on its own.
#[server(endpoint = "admin/change-role")]
pub async fn change_role(input: ChangeRoleInput) -> Result<User, AppError> {
    use crate::{admin::db, auth::confirm::confirm_own_password, auth::session, state::app_state};

    let state = app_state()?;
    let admin = session::require_role(&state, Role::Admin).await?;
    confirm_own_password(&state, &admin, &input.password, "password").await?;
    let user = db::change_role(&state.pool, input.user_id, input.role).await?;
    // This server's copy goes now; the others' when the trigger's notice
    // reaches them.
    state.signed_in.accounts.forget(&user.id).await;
    tracing::info!(admin_id = %admin.id, user_id = %user.id, role = user.role.as_str(), "role changed");
    // Back to the list, showing the account just changed; without JavaScript
    // this also leaves the confirmation behind.
    leptos_axum::redirect(&crate::routes::admin_account_changed(&user.email, user.id));
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_role_debug_output_hides_the_password() {
        let input = ChangeRoleInput {
            user_id: Uuid::nil(),
            role: Role::Teacher,
            password: "hunter2hunter2".into(),
        };
        assert!(!format!("{input:?}").contains("hunter2"));
    }
}
