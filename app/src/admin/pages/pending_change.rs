use crate::auth::Role;

/// A role change the admin picked in the list and has yet to confirm with
/// their password. It lives in the address (`?confirm=<id>&role=<role>`), so
/// the two steps work without JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PendingChange {
    pub(crate) user_id: uuid::Uuid,
    pub(crate) role: Role,
}
