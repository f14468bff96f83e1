//! The media routes: `POST /api/media` takes a file's bytes as the request
//! body, `GET /media/<sha256>` serves it back, and `POST /media/attach` takes
//! the note editor's form with a file when JavaScript is off. They are plain
//! axum handlers rather than server functions because the bodies are raw
//! bytes or multipart.

use axum::{
    body::{to_bytes, Body},
    extract::{Multipart, Path, Request, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use tower_sessions::Session;

use super::{
    is_sha256_hex,
    store::{human_size, sniff_type, UploadError, UploadRefusal},
    FORM_FILE_FIELD,
};
use crate::{auth::session, error::AppError, state::AppState};

fn refusal(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

/// Stores the request body as a media file for the signed-in person.
pub async fn upload(State(state): State<AppState>, session: Session, request: Request) -> Response {
    let user = match session::user_of_session(&state, &session).await {
        Ok(Some(user)) => user,
        Ok(None) => return refusal(StatusCode::UNAUTHORIZED, "Log in to upload files."),
        Err(error) => return refusal(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
    };
    let limit = state.media.max_upload_bytes;
    let too_large = |size: String| {
        refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            UploadRefusal::TooLarge {
                size,
                limit: human_size(limit),
            }
            .to_string(),
        )
    };
    // Refuse early when the size is announced, before reading anything.
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if let Some(length) = announced.filter(|length| *length > limit) {
        return too_large(human_size(length));
    }
    let bytes = match to_bytes(request.into_body(), limit).await {
        Ok(bytes) => bytes,
        Err(_) => return too_large(format!("over {}", human_size(limit))),
    };
    match state.media.save(&state.pool, user.id, bytes.to_vec()).await {
        Ok(uploaded) => {
            tracing::info!(user_id = %user.id, sha256 = %uploaded.sha256, bytes = uploaded.byte_size, "media uploaded");
            (StatusCode::CREATED, Json(uploaded)).into_response()
        }
        Err(UploadError::Refused(
            reason @ (UploadRefusal::TooLarge { .. } | UploadRefusal::QuotaExceeded { .. }),
        )) => refusal(StatusCode::PAYLOAD_TOO_LARGE, reason.to_string()),
        Err(UploadError::Refused(reason)) => refusal(StatusCode::UNSUPPORTED_MEDIA_TYPE, reason.to_string()),
        Err(UploadError::Failed(error)) => {
            tracing::error!(%error, "could not store an upload");
            refusal(StatusCode::INTERNAL_SERVER_ERROR, super::UPLOAD_FAILED)
        }
    }
}

/// Serves a stored file. The address is its hash, so it can be cached
/// forever; the sandbox policy keeps a file from ever acting as a page.
pub async fn serve(State(state): State<AppState>, Path(sha256): Path<String>) -> Response {
    if !is_sha256_hex(&sha256) {
        return (StatusCode::NOT_FOUND, "No such file.").into_response();
    }
    match state.media.load(&state.pool, &sha256).await {
        Ok(Some((bytes, content_type))) => {
            let mut response = Body::from(bytes).into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&content_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            response
        }
        Ok(None) => (StatusCode::NOT_FOUND, "No such file.").into_response(),
        Err(error) => {
            tracing::error!(%error, "could not read a media file");
            (StatusCode::INTERNAL_SERVER_ERROR, "The file could not be read.").into_response()
        }
    }
}

const UNREADABLE_FORM: &str = "The form could not be read. Please try again.";

/// The note editor's upload without JavaScript. The "Upload" button submits
/// the whole note form here as multipart: the file is stored, its embed text
/// is added to the chosen field, and the browser goes back to the editor with
/// the note as it was typed plus the embed (kept in the session, see
/// `crate::unsaved`), so nothing typed is lost. A refusal comes back the same
/// way, as an error on the upload control.
pub async fn attach_to_note(
    State(state): State<AppState>,
    session: Session,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    use crate::unsaved::{self, UnsavedForm};

    // Only the editor's own form posts here, always as multipart.
    let Ok(multipart) = multipart else {
        return (StatusCode::BAD_REQUEST, UNREADABLE_FORM).into_response();
    };

    let user = match session::user_of_session(&state, &session).await {
        Ok(Some(user)) => user,
        Ok(None) => return axum::response::Redirect::to("/login").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    // This answers a plain form post, so a refusal is a sentence, not JSON.
    let posted = match read_note_form(multipart, state.media.max_upload_bytes).await {
        Ok(posted) => posted,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    let (form, address) = match (posted.note_id, posted.deck_id) {
        (Some(note_id), _) => (unsaved::editing_note(note_id), format!("/notes/{note_id}/edit")),
        // A note type is named by a built-in key or an id: anything longer
        // is no type, and would make an address too long to follow back.
        (None, Some(_)) if posted.note_type.len() > 64 => {
            return (StatusCode::BAD_REQUEST, "The form names no note type.").into_response()
        }
        (None, Some(deck_id)) => (
            unsaved::adding_note(deck_id, &posted.note_type),
            crate::paging::address_with_query(
                &format!("/decks/{deck_id}/add"),
                &[("type", &posted.note_type)],
            ),
        ),
        (None, None) => return (StatusCode::BAD_REQUEST, "The form names no deck or note.").into_response(),
    };
    let mut note = UnsavedForm {
        fields: posted.fields,
        tags: posted.tags,
        error: None,
        notice: None,
    };
    match posted.file {
        None => note.error = Some(AppError::field(FORM_FILE_FIELD, "Choose a file to upload first.")),
        Some(file) if file.too_large => {
            let limit = human_size(state.media.max_upload_bytes);
            let reason = UploadRefusal::TooLarge {
                size: format!("over {limit}"),
                limit,
            };
            note.error = Some(AppError::field(FORM_FILE_FIELD, reason.to_string()));
        }
        Some(file) => match state.media.save(&state.pool, user.id, file.bytes).await {
            Ok(uploaded) => {
                let name = super::shown_file_name(&file.name);
                let embed = uploaded.embed(super::description_of_file(&name));
                match note.fields.get_mut(posted.target_field) {
                    Some(field) => {
                        if !field.trim().is_empty() {
                            field.push_str("\n\n");
                        }
                        field.push_str(&embed);
                        note.notice = Some(format!("Added {name}."));
                    }
                    None => {
                        note.error = Some(AppError::field(FORM_FILE_FIELD, "Choose a field for the file."))
                    }
                }
            }
            Err(UploadError::Refused(reason)) => {
                note.error = Some(AppError::field(FORM_FILE_FIELD, reason.to_string()))
            }
            Err(UploadError::Failed(error)) => {
                tracing::error!(%error, "could not store an upload");
                note.error = Some(AppError::field(FORM_FILE_FIELD, super::UPLOAD_FAILED));
            }
        },
    }
    unsaved::keep(&session, form, note).await;
    axum::response::Redirect::to(&unsaved::waiting_at(&address)).into_response()
}

/// A file chosen in the note form.
struct PostedFile {
    name: String,
    bytes: Vec<u8>,
    /// Over the upload limit: only the first bytes were read.
    too_large: bool,
}

/// The note form as posted for an upload.
#[derive(Default)]
struct PostedNoteForm {
    deck_id: Option<uuid::Uuid>,
    note_id: Option<uuid::Uuid>,
    note_type: String,
    fields: Vec<String>,
    tags: String,
    target_field: usize,
    file: Option<PostedFile>,
}

/// Reads the note form's parts, each within its limit. The text parts are a
/// note's fields, so they get a note field's limit; the file gets the upload
/// limit, and reading stops just past it.
async fn read_note_form(mut multipart: Multipart, max_file_bytes: usize) -> Result<PostedNoteForm, String> {
    const MAX_PARTS: usize = 80;
    let max_text_bytes = crate::notes::MAX_FIELD_BYTES * 2;
    let mut form = PostedNoteForm::default();
    let unreadable = |_| UNREADABLE_FORM.to_owned();
    for _ in 0..MAX_PARTS {
        let Some(mut part) = multipart.next_field().await.map_err(unreadable)? else {
            return Ok(form);
        };
        let name = part.name().unwrap_or_default().to_owned();
        if name == FORM_FILE_FIELD {
            form.file = read_file(part, max_file_bytes).await?;
            continue;
        }
        let mut text = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(unreadable)? {
            if text.len() + chunk.len() > max_text_bytes {
                return Err(format!("The field {name} is too long."));
            }
            text.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(text).map_err(|_| format!("The field {name} is not text."))?;
        // As everywhere else (`hardening::reject_nul_in_text_input`): PostgreSQL
        // text cannot hold NUL, and no one types it.
        if text.contains('\0') {
            return Err(format!(
                "The field {name} contains a character that cannot be stored."
            ));
        }
        let uuid = |text: &str| {
            uuid::Uuid::parse_str(text).map_err(|_| "The form names no deck or note.".to_owned())
        };
        match name.as_str() {
            "input[deck_id]" => form.deck_id = Some(uuid(&text)?),
            "note_id" => form.note_id = Some(uuid(&text)?),
            "input[note_type]" => form.note_type = text,
            "input[tags]" => form.tags = text,
            "media_field" => form.target_field = text.parse().unwrap_or(usize::MAX),
            other => {
                if let Some(index) = other
                    .strip_prefix("input[fields][")
                    .and_then(|rest| rest.strip_suffix(']'))
                    .and_then(|index| index.parse::<usize>().ok())
                    .filter(|index| *index < crate::note_types::MAX_FIELDS)
                {
                    if form.fields.len() <= index {
                        form.fields.resize(index + 1, String::new());
                    }
                    form.fields[index] = text;
                }
            }
        }
    }
    Err("The form has too many parts.".to_owned())
}

/// A form's file part, read to just past `max_bytes`; `None` when no file
/// was chosen (a form sent without one still has an empty file part).
async fn read_file(
    mut part: axum::extract::multipart::Field<'_>,
    max_bytes: usize,
) -> Result<Option<PostedFile>, String> {
    let unreadable = |_| UNREADABLE_FORM.to_owned();
    let name = part.file_name().unwrap_or_default().to_owned();
    let mut bytes = Vec::new();
    let mut too_large = false;
    while let Some(chunk) = part.chunk().await.map_err(unreadable)? {
        if bytes.len() + chunk.len() > max_bytes {
            too_large = true;
            break;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((!name.is_empty() || !bytes.is_empty()).then_some(PostedFile {
        name,
        bytes,
        too_large,
    }))
}

/// The course cover's form when JavaScript is off: the image comes with the
/// form, as `COVER_FILE_FIELD`, beside the course's id. It is stored and
/// set as the cover, and the browser goes back to the course page, where a
/// refusal shows beside the cover's controls as it does with JavaScript
/// (the page reads it from its address, as it reads any plain post's).
pub async fn set_course_cover_without_javascript(
    State(state): State<AppState>,
    session: Session,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    use crate::{
        courses::{self, access, api::SetCourseCover},
        plain_post::page_with_the_error,
        routes,
    };
    use leptos::server_fn::ServerFn;

    let Ok(multipart) = multipart else {
        return (StatusCode::BAD_REQUEST, UNREADABLE_FORM).into_response();
    };
    let user = match session::user_of_session(&state, &session).await {
        Ok(Some(user)) => user,
        Ok(None) => return axum::response::Redirect::to(routes::LOGIN).into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let (course_id, file) = match read_cover_form(multipart, state.media.max_upload_bytes).await {
        Ok(posted) => posted,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    let course = match access::editable_course(&state, &user, course_id).await {
        Ok(course) => course,
        Err(error) => return sentence_for(&error),
    };
    let course_page = routes::course(&course.slug);
    let refused = |message: String| {
        let error = AppError::field(courses::COVER_FIELD, message);
        let address = page_with_the_error(SetCourseCover::PATH, &course_page, &error)
            .unwrap_or_else(|| course_page.clone());
        axum::response::Redirect::to(&address).into_response()
    };
    let file = match file {
        None => return refused(courses::COVER_NOT_CHOSEN.to_owned()),
        Some(file) if file.too_large => {
            let limit = human_size(state.media.max_upload_bytes);
            return refused(
                UploadRefusal::TooLarge {
                    size: format!("over {limit}"),
                    limit,
                }
                .to_string(),
            );
        }
        Some(file) => file,
    };
    // Sound is a file Engram takes, but not as a cover: refused before it
    // is stored and counted against the author's allowance.
    if sniff_type(&file.bytes).is_ok_and(|content_type| !content_type.starts_with("image/")) {
        return refused(courses::COVER_NOT_AN_IMAGE.to_owned());
    }
    let uploaded = match state.media.save(&state.pool, user.id, file.bytes).await {
        Ok(uploaded) => uploaded,
        Err(UploadError::Refused(reason)) => return refused(reason.to_string()),
        Err(UploadError::Failed(error)) => {
            tracing::error!(%error, "could not store an upload");
            return refused(super::UPLOAD_FAILED.to_owned());
        }
    };
    if let Err(error) = courses::db::set_cover(&state.pool, course_id, Some(&uploaded.sha256)).await {
        tracing::error!(%error, "could not set a course's cover");
        return sentence_for(&error);
    }
    tracing::info!(user_id = %user.id, %course_id, sha256 = %uploaded.sha256, "course cover set without JavaScript");
    axum::response::Redirect::to(&course_page).into_response()
}

/// `error` as a plain form post's answer: its status, and its sentence.
fn sentence_for(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, error.to_string()).into_response()
}

/// The cover form's parts: the course's id and the image, if one was chosen.
async fn read_cover_form(
    mut multipart: Multipart,
    max_file_bytes: usize,
) -> Result<(uuid::Uuid, Option<PostedFile>), String> {
    const MAX_PARTS: usize = 8;
    const MAX_ID_BYTES: usize = 64;
    const NO_COURSE: &str = "The form names no course.";
    let unreadable = |_| UNREADABLE_FORM.to_owned();
    let mut course_id = None;
    let mut file = None;
    for _ in 0..MAX_PARTS {
        let Some(mut part) = multipart.next_field().await.map_err(unreadable)? else {
            let course_id = course_id.ok_or_else(|| NO_COURSE.to_owned())?;
            return Ok((course_id, file));
        };
        match part.name().unwrap_or_default() {
            crate::courses::COVER_FILE_FIELD => file = read_file(part, max_file_bytes).await?,
            "course_id" => {
                let mut text = Vec::new();
                while let Some(chunk) = part.chunk().await.map_err(unreadable)? {
                    if text.len() + chunk.len() > MAX_ID_BYTES {
                        return Err(NO_COURSE.to_owned());
                    }
                    text.extend_from_slice(&chunk);
                }
                let id = std::str::from_utf8(&text)
                    .ok()
                    .and_then(|text| uuid::Uuid::parse_str(text.trim()).ok())
                    .ok_or_else(|| NO_COURSE.to_owned())?;
                course_id = Some(id);
            }
            // Parts this form does not have are skipped unread.
            _ => {}
        }
    }
    Err("The form has too many parts.".to_owned())
}
