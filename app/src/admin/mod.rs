//! Administration: the account list and role changes. Admins only.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

use crate::auth::Role;

/// How many accounts one page of the list shows.
pub const ACCOUNTS_PER_PAGE: i64 = 50;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct AccountListQuery {
    /// Matches part of a name or email, ignoring case. Empty for all.
    pub search: String,
    /// The email of the last account on the previous page (keyset pagination).
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountRow {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub joined_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountPage {
    pub accounts: Vec<AccountRow>,
    /// Set when there are more accounts after this page.
    pub next_after: Option<String>,
}
