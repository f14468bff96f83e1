//! The two media routes: `POST /api/media` takes a file's bytes as the
//! request body, `GET /media/<sha256>` serves it back. They are plain axum
//! handlers rather than server functions because the bodies are raw bytes.

use axum::{
    body::{to_bytes, Body},
    extract::{Path, Request, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use tower_sessions::Session;

use super::{
    is_sha256_hex,
    store::{human_size, UploadError, UploadRefusal},
};
use crate::{auth::session, state::AppState};

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
            refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The file could not be stored. Please try again.",
            )
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
