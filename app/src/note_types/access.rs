//! Who may write notes with a note type, and who may change it.

use super::{db, NoteTypeChoice};
use crate::{
    auth::{Role, User},
    error::AppError,
    state::AppState,
};

/// The type if `user` may write notes with it: every built-in type, and
/// their own custom ones. Someone else's type does not exist for them.
pub async fn usable_note_type(
    state: &AppState,
    user: &User,
    choice: NoteTypeChoice,
) -> Result<db::NoteTypeRecord, AppError> {
    let record = db::find_note_type(&state.pool, choice)
        .await?
        .ok_or(AppError::NotFound)?;
    match record.owner_id {
        None => Ok(record),
        Some(owner_id) if owner_id == user.id || user.role == Role::Admin => Ok(record),
        Some(_) => Err(AppError::NotFound),
    }
}

/// A custom type `user` may change: theirs, or any for an admin.
pub async fn editable_note_type(
    state: &AppState,
    user: &User,
    id: uuid::Uuid,
) -> Result<db::NoteTypeRecord, AppError> {
    let record = usable_note_type(state, user, NoteTypeChoice::Custom(id)).await?;
    if record.builtin.is_some() {
        return Err(AppError::Forbidden);
    }
    Ok(record)
}
