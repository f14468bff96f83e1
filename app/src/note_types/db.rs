//! Note type queries. Built-in types live in the same table (kept current
//! at start-up), so a note's shape is always read from its type's row.

use sqlx::{types::Json, PgConnection, PgPool};
use uuid::Uuid;

use super::{
    builtin::BuiltinNoteType,
    template::{CardTemplate, NoteKind, NoteShape},
    CustomNoteType, NoteTypeChoice, NoteTypeOption,
};
use crate::error::AppError;

/// A note type's row.
#[derive(Debug, Clone)]
pub struct NoteTypeRecord {
    pub id: Uuid,
    /// `None` for a built-in type.
    pub owner_id: Option<Uuid>,
    pub builtin: Option<BuiltinNoteType>,
    pub name: String,
    pub shape: NoteShape,
}

impl NoteTypeRecord {
    pub fn choice(&self) -> NoteTypeChoice {
        match self.builtin {
            Some(builtin) => NoteTypeChoice::Builtin(builtin),
            None => NoteTypeChoice::Custom(self.id),
        }
    }

    pub fn option(self) -> NoteTypeOption {
        NoteTypeOption {
            choice: self.choice(),
            name: self.name,
            shape: self.shape,
        }
    }
}

struct Row {
    id: Uuid,
    owner_id: Option<Uuid>,
    builtin: Option<String>,
    name: String,
    kind: NoteKind,
    fields: Vec<String>,
    templates: Json<Vec<CardTemplate>>,
}

impl From<Row> for NoteTypeRecord {
    fn from(row: Row) -> NoteTypeRecord {
        NoteTypeRecord {
            id: row.id,
            owner_id: row.owner_id,
            builtin: row.builtin.as_deref().and_then(BuiltinNoteType::from_key),
            name: row.name,
            shape: NoteShape {
                kind: row.kind,
                fields: row.fields,
                templates: row.templates.0,
            },
        }
    }
}

pub async fn find_note_type(
    pool: &PgPool,
    choice: NoteTypeChoice,
) -> Result<Option<NoteTypeRecord>, AppError> {
    let (id, builtin) = match choice {
        NoteTypeChoice::Builtin(builtin) => (None, Some(builtin.key())),
        NoteTypeChoice::Custom(id) => (Some(id), None),
    };
    let row = sqlx::query_as!(
        Row,
        r#"select id, owner_id, builtin, name, kind as "kind: NoteKind", fields,
                  templates as "templates: Json<Vec<CardTemplate>>"
           from note_types where id = $1 or builtin = $2"#,
        id,
        builtin,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(NoteTypeRecord::from))
}

/// The built-in types in their usual order, then `owner_id`'s own by name.
pub async fn available_note_types(pool: &PgPool, owner_id: Uuid) -> Result<Vec<NoteTypeOption>, AppError> {
    let rows = sqlx::query_as!(
        Row,
        r#"select id, owner_id, builtin, name, kind as "kind: NoteKind", fields,
                  templates as "templates: Json<Vec<CardTemplate>>"
           from note_types
           where builtin is not null or owner_id = $1
           order by array_position(array['basic', 'basic_reversed', 'cloze', 'type_answer'], builtin) nulls last,
                    lower(name), id"#,
        owner_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| NoteTypeRecord::from(row).option())
        .collect())
}

/// `owner_id`'s own types with how many notes use each.
pub async fn list_owned_note_types(pool: &PgPool, owner_id: Uuid) -> Result<Vec<CustomNoteType>, AppError> {
    let rows = sqlx::query!(
        r#"select t.id, t.name, t.kind as "kind: NoteKind", t.fields,
                  t.templates as "templates: Json<Vec<CardTemplate>>",
                  (select count(*) from notes n where n.note_type_id = t.id) as "note_count!"
           from note_types t
           where t.owner_id = $1
           order by lower(t.name), t.id"#,
        owner_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| CustomNoteType {
            id: row.id,
            name: row.name,
            shape: NoteShape {
                kind: row.kind,
                fields: row.fields,
                templates: row.templates.0,
            },
            note_count: row.note_count,
        })
        .collect())
}

pub async fn create_note_type(
    pool: &PgPool,
    owner_id: Uuid,
    name: &str,
    shape: &NoteShape,
) -> Result<Uuid, AppError> {
    let id = sqlx::query_scalar!(
        r#"insert into note_types (owner_id, name, kind, fields, templates)
           values ($1, $2, $3, $4, $5) returning id"#,
        owner_id,
        name,
        shape.kind as NoteKind,
        &shape.fields,
        Json(&shape.templates) as _,
    )
    .fetch_one(pool)
    .await
    .map_err(name_taken)?;
    Ok(id)
}

/// A name the author already gave another of their types is theirs to
/// change, so it becomes a field error (`note_types_owner_name_key`).
fn name_taken(error: sqlx::Error) -> AppError {
    match &error {
        sqlx::Error::Database(database) if database.constraint() == Some("note_types_owner_name_key") => {
            AppError::field("name", super::NAME_TAKEN)
        }
        _ => error.into(),
    }
}

pub async fn update_note_type(
    connection: &mut PgConnection,
    id: Uuid,
    name: &str,
    shape: &NoteShape,
) -> Result<(), AppError> {
    sqlx::query!(
        "update note_types set name = $2, kind = $3, fields = $4, templates = $5 where id = $1",
        id,
        name,
        shape.kind as NoteKind,
        &shape.fields,
        Json(&shape.templates) as _,
    )
    .execute(connection)
    .await
    .map_err(name_taken)?;
    Ok(())
}

/// The notes written with a type, locked so they cannot change while their
/// cards are regenerated.
pub async fn lock_notes_of_type(
    connection: &mut PgConnection,
    id: Uuid,
) -> Result<Vec<(Uuid, Vec<String>, Vec<String>)>, AppError> {
    let rows = sqlx::query!(
        "select id, fields, tags from notes where note_type_id = $1 order by id for update",
        id
    )
    .fetch_all(connection)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.id, row.fields, row.tags))
        .collect())
}

/// Deletes a custom note type that no note uses. The type's row is locked
/// before its notes are counted, in the deleting transaction: a note being
/// written with the type (whose foreign key check shares that lock) either
/// lands first and is counted, or waits and finds the type gone.
pub async fn delete_unused_note_type(pool: &PgPool, id: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query_scalar!(
        "select id from note_types where id = $1 and owner_id is not null for update",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let count = sqlx::query_scalar!(
        r#"select count(*) as "count!" from notes where note_type_id = $1"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if count > 0 {
        let users = crate::ui::plural(count, "note uses", "notes use");
        return Err(AppError::Conflict(format!(
            "{users} this type. Delete or change those notes first."
        )));
    }
    sqlx::query!("delete from note_types where id = $1", id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
