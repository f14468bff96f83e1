//! Administration pages: the account list and the role change, for admins only.

mod account_row_view;
mod account_table;
mod admin_page;
mod confirm_role_change;
mod pending_change;

pub use admin_page::AdminPage;
