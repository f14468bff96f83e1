//! Note type server functions. Teachers define their own types; everyone
//! may write notes with the built-in ones and with the types they own.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::access;
use super::{CustomNoteType, NoteTypeInput};
use crate::error::AppError;

#[server(endpoint = "note-types/list", input = GetUrl)]
pub async fn list_note_types() -> Result<Vec<CustomNoteType>, AppError> {
    use crate::{auth::session, note_types::db, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    db::list_owned_note_types(&state.pool, user.id).await
}

#[server(endpoint = "note-types/create")]
pub async fn create_note_type(input: NoteTypeInput) -> Result<Uuid, AppError> {
    use crate::{auth::session, auth::Role, note_types::db, state::app_state};

    let result = async {
        let state = app_state()?;
        let user = session::require_user(&state).await?;
        if user.role < Role::Teacher {
            return Err(AppError::Forbidden);
        }
        let (name, shape) = input.parse()?;
        let id = db::create_note_type(&state.pool, user.id, &name, &shape).await?;
        tracing::info!(user_id = %user.id, note_type_id = %id, "note type created");
        Ok(id)
    }
    .await;
    // Posted without JavaScript, the page comes back saying so, or with the
    // form filled in as it was sent beside its error.
    match &result {
        Ok(_) => crate::plain_post::on_to_the_saved_page(&crate::routes::saying_saved(
            crate::routes::NOTE_TYPES,
            super::NOTE_TYPE_CREATED,
        )),
        Err(error) => {
            crate::plain_post::back_to_the_filled_form::<CreateNoteType>(
                &crate::routes::note_types_filled_in(&input.typed_pairs(None)),
                crate::routes::NOTE_TYPES,
                error,
            )
            .await
        }
    }
    result
}

/// Saves a type's new name, fields and templates and regenerates the cards
/// of every note written with it, all in one transaction: if any note would
/// break, nothing changes. Cards that survive keep their review history.
#[server(endpoint = "note-types/update")]
pub async fn update_note_type(note_type_id: Uuid, input: NoteTypeInput) -> Result<(), AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let current = access::editable_note_type(&state, &user, note_type_id).await?;
    let result = save_note_type(&state, &user, note_type_id, &current, &input).await;
    // Posted without JavaScript, the page comes back with this type's form
    // open, saying it saved, or filled in as it was sent beside its error.
    match &result {
        Ok(()) => crate::plain_post::on_to_the_saved_page(&crate::routes::saying_saved(
            &crate::routes::note_types_filled_in(&[("editing".to_owned(), note_type_id.to_string())]),
            super::NOTE_TYPE_SAVED,
        )),
        Err(error) => {
            crate::plain_post::back_to_the_filled_form::<UpdateNoteType>(
                &crate::routes::note_types_filled_in(&input.typed_pairs(Some(note_type_id))),
                &crate::routes::note_types_filled_in(&[("editing".to_owned(), note_type_id.to_string())]),
                error,
            )
            .await
        }
    }
    result
}

#[cfg(feature = "ssr")]
/// Saves a type's new version and regenerates its notes' cards, in one
/// transaction (see [`update_note_type`]).
async fn save_note_type(
    state: &crate::state::AppState,
    user: &crate::auth::User,
    note_type_id: Uuid,
    current: &super::db::NoteTypeRecord,
    input: &NoteTypeInput,
) -> Result<(), AppError> {
    use crate::{
        note_types::db,
        notes::{
            db as notes,
            render::{try_render_note, NoteRenderError},
        },
    };

    let (name, shape) = input.parse()?;
    let mut tx = state.pool.begin().await?;
    let notes_of_type = db::lock_notes_of_type(&mut tx, note_type_id).await?;
    if !notes_of_type.is_empty() {
        let count = notes_of_type.len();
        if shape.kind != current.shape.kind {
            return Err(AppError::field(
                "kind",
                format!(
                    "{count} notes use this type, so it stays {}.",
                    kind_name(current.shape.kind)
                ),
            ));
        }
        if shape.fields.len() < current.shape.fields.len() {
            return Err(AppError::field(
                "fields",
                format!(
                    "{count} notes use this type, so its {} fields can be renamed or added to, not removed.",
                    current.shape.fields.len()
                ),
            ));
        }
    }
    db::update_note_type(&mut tx, note_type_id, &name, &shape).await?;
    let shape = std::sync::Arc::new(shape);
    // Cards learners studied that the new templates no longer make: the
    // transaction is rolled back unless the author agreed to delete them.
    let mut studied_cards_dropped = 0;
    for (note_id, mut fields, tags) in notes_of_type {
        // Fields are stored by position: a renamed field keeps its values
        // and an added field starts empty.
        fields.resize(shape.fields.len(), String::new());
        // One note at a time, each bounded by the rendering caps, so a type
        // with many notes neither holds a worker nor all the permits long.
        let (fields, rendered) = state
            .rendering
            .run({
                let shape = shape.clone();
                move || {
                    let rendered = try_render_note(&shape, &fields);
                    (fields, rendered)
                }
            })
            .await?;
        let cards = rendered.map_err(|error| match error {
            NoteRenderError::CardTooLarge { card, .. } => AppError::field(
                &input.template_field(card.template_index, card.side),
                format!("A note written with this type would break: {card}"),
            ),
            NoteRenderError::Fields(error) => {
                let reason = match &error {
                    AppError::Validation(errors) => errors
                        .first()
                        .map(|error| error.message.clone())
                        .unwrap_or_default(),
                    other => other.to_string(),
                };
                AppError::field(
                    "templates",
                    format!("A note written with this type would break: {reason}"),
                )
            }
        })?;
        if !input.delete_studied_cards {
            studied_cards_dropped += notes::studied_cards_dropped(&mut tx, note_id, &cards)
                .await?
                .cards;
        }
        notes::update_note(&mut tx, note_id, &fields, &tags, &cards).await?;
    }
    if studied_cards_dropped > 0 {
        return Err(AppError::field(
            crate::notes::DELETE_STUDIED_CARDS,
            super::NOTE_TYPE_DELETES_STUDIED_CARDS,
        ));
    }
    tx.commit().await?;
    tracing::info!(user_id = %user.id, %note_type_id, "note type updated");
    Ok(())
}

#[cfg(feature = "ssr")]
fn kind_name(kind: crate::note_types::template::NoteKind) -> &'static str {
    match kind {
        crate::note_types::template::NoteKind::Standard => "standard",
        crate::note_types::template::NoteKind::Cloze => "cloze",
    }
}

/// Deletes a type no note uses.
#[server(endpoint = "note-types/delete")]
pub async fn delete_note_type(note_type_id: Uuid) -> Result<(), AppError> {
    use crate::{auth::session, note_types::db, state::app_state};

    let result = async {
        let state = app_state()?;
        let user = session::require_user(&state).await?;
        access::editable_note_type(&state, &user, note_type_id).await?;
        db::delete_unused_note_type(&state.pool, note_type_id).await
    }
    .await;
    // Posted without JavaScript and refused, the page comes back with this
    // type's form open beside the error.
    if let Err(error) = &result {
        crate::plain_post::back_to_the_form::<DeleteNoteType>(
            &crate::routes::note_types_filled_in(&[("editing".to_owned(), note_type_id.to_string())]),
            error,
        );
    }
    result
}
