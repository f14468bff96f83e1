//! The HTTP application: Leptos pages and server functions, health checks,
//! static files, and the layers every request passes through.

use std::{sync::Arc, time::Duration};

use crate::{
    hardening::{explain_oversized_requests, keep_redirects_on_site, reject_nul_in_text_input},
    security::{attach_client_ip, reject_cross_site_requests, TrustedOrigins},
    session_store::EngramSessionStore,
};
use anyhow::Result;
use app::{
    auth::session::RequestUser,
    security::{offline_page_content_security_policy, DEFAULT_CONTENT_SECURITY_POLICY},
    shell,
    state::AppState,
    App,
};
use axum::{
    body::{to_bytes, Body},
    extract::DefaultBodyLimit,
    extract::{Request, State},
    http::{header, HeaderName, HeaderValue, StatusCode},
    middleware::{from_fn, from_fn_with_state, map_response, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use leptos::prelude::provide_context;
use leptos_axum::{file_and_error_handler, generate_route_list, LeptosRoutes};
use tower::{util::option_layer, ServiceBuilder};
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

/// What the HTTP layers need to know beyond [`AppState`].
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub secure_cookies: bool,
    pub session_idle_timeout: time::Duration,
    pub trusted_origins: Vec<String>,
    pub trust_proxy: bool,
    pub max_body_bytes: usize,
}

pub const SESSION_COOKIE: &str = "engram_session";

/// Builds the whole application. Tests drive this same router.
pub async fn build_router(state: AppState, settings: &HttpSettings) -> Result<Router> {
    // Cached in memory; its `save` cannot bring back a session deleted by
    // logout or login (see `session_store`).
    let session_store = EngramSessionStore::new(
        state.pool.clone(),
        settings.session_idle_timeout,
        state.signed_in.clone(),
    );
    session_store.listen_for_changes().await?;
    let sessions = SessionManagerLayer::new(session_store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(settings.session_idle_timeout))
        // Save on every request so that the idle timeout slides with activity;
        // otherwise a session would expire a fixed time after login. The
        // store writes only the saves that change something that matters.
        .with_always_save(true);

    let leptos_options = state.leptos_options.clone();
    let context_state = state.clone();
    let static_files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            static_cache_control(leptos_options.hash_files),
        ))
        // The release build writes a brotli copy of each asset (`cargo
        // leptos … --precompress`, quality 11): sent as it is, so no request
        // pays for brotli-compressing the wasm. Its gzip copies are left
        // unused: they come out 17% larger than the compression layer's own
        // gzip, which browsers without brotli (plain HTTP) get instead, as do
        // debug builds.
        .service(
            ServeDir::new(format!(
                "{}/{}",
                leptos_options.site_root, leptos_options.site_pkg_dir
            ))
            .precompressed_br(),
        );

    let request_id = HeaderName::from_static("x-request-id");
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request| {
            let id = request
                .extensions()
                .get::<RequestId>()
                .and_then(|id| id.header_value().to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO));

    // Pages and server functions see the session. Static files and health
    // checks do not, so they never read or extend a session.
    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            generate_route_list(App),
            move || {
                provide_context(context_state.clone());
                app::security::provide_request_nonce();
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(file_and_error_handler::<AppState, _>(shell))
        .with_state(state.clone())
        .layer(map_response(error_status_from_server_fn_error))
        .layer(map_response(never_store_personal_responses))
        .layer(map_response(app::plain_post::say_saved_only_after_a_save))
        .layer(from_fn(reject_nul_in_text_input))
        .layer(RequestBodyLimitLayer::new(settings.max_body_bytes))
        .layer(from_fn(explain_oversized_requests))
        .layer(from_fn(keep_redirects_on_site))
        .layer(from_fn(look_up_the_user_once))
        .layer(from_fn(give_each_page_its_nonce))
        .layer(from_fn(app::unsaved::refill_a_refused_form))
        .layer(sessions.clone());

    // Uploads carry files up to their own, larger limit. The handler reads
    // at most that much and explains a refusal in JSON, so no body limit
    // layer answers for it in plain text.
    let media = Router::new()
        .route("/api/media", post(app::media::http::upload))
        .route("/media/attach", post(app::media::http::attach_to_note))
        .route(
            "/media/course-cover",
            post(app::media::http::set_course_cover_without_javascript),
        )
        .route("/media/{sha256}", get(app::media::http::serve))
        .with_state(state.clone())
        .layer(DefaultBodyLimit::disable())
        .layer(sessions);

    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state.clone())
        .nest_service(&format!("/{}", state.leptos_options.site_pkg_dir), static_files)
        .merge(installed_app_files(&state.leptos_options.site_root))
        .merge(media)
        .merge(pages)
        .layer(from_fn(crate::hardening::refuse_overlong_path_segments))
        .layer(from_fn(crate::hardening::answer_head_like_get))
        .layer(from_fn_with_state(
            TrustedOrigins(Arc::from(settings.trusted_origins.clone())),
            reject_cross_site_requests,
        ))
        .layer(from_fn_with_state(settings.trust_proxy, attach_client_ip))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // Only when people reach Engram over https: on plain http the header
        // is ignored, and on localhost it would pin https on other projects.
        .layer(option_layer(settings.secure_cookies.then(|| {
            SetResponseHeaderLayer::overriding(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            )
        })))
        .layer(CompressionLayer::new())
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid));
    Ok(router)
}

/// The installed app's own files, and the catalogue's script, outside the
/// session layer like the other static files. The service worker, the
/// manifest, the offline app's page and the catalogue's script keep their
/// names from one version to the next, so the browser must ask
/// each time (`no-cache`) to notice a deployment; the icons change rarely.
fn installed_app_files(site_root: &str) -> Router {
    Router::new()
        .route_service("/sw.js", ServeFile::new(format!("{site_root}/sw.js")))
        .route_service(
            "/sw-outbox.js",
            ServeFile::new(format!("{site_root}/sw-outbox.js")),
        )
        .route_service(
            "/manifest.webmanifest",
            ServeFile::new(format!("{site_root}/manifest.webmanifest")),
        )
        // The catalogue's search box (suggestions), on pages with and
        // without the app's code.
        .route_service(
            "/catalogue-search.js",
            ServeFile::new(format!("{site_root}/catalogue-search.js")),
        )
        .route_service(
            "/offline-boot.js",
            ServeFile::new(format!("{site_root}/offline-boot.js")),
        )
        .route_service(
            "/offline.html",
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::try_from(offline_page_content_security_policy())
                        .expect("the policy is plain ASCII"),
                ))
                .service(ServeFile::new(format!("{site_root}/offline.html"))),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .nest_service(
            "/icons",
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=86400"),
                ))
                .service(ServeDir::new(format!("{site_root}/icons"))),
        )
}

/// Hashed file names change whenever their content does, so they can be
/// cached forever; without hashing the browser must revalidate.
fn static_cache_control(hash_files: bool) -> HeaderValue {
    HeaderValue::from_static(if hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    })
}

/// Gives each request its own `RequestUser`, so the nav, the page's loaders
/// and its server functions look the signed-in account up once between them.
async fn look_up_the_user_once(mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(RequestUser::default());
    next.run(request).await
}

/// Chooses the nonce of a page's inline scripts before Leptos renders it, and
/// makes sure an HTML response carries the page policy with that nonce. The
/// render sets the policy itself; a page once came back with only the
/// default policy, which blocked its hydration scripts, so the policy no
/// longer depends on the render alone.
async fn give_each_page_its_nonce(mut request: Request, next: Next) -> Response {
    let nonce = leptos::nonce::Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    let has_page_policy = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .is_some_and(|value| value.as_bytes().windows(7).any(|window| window == b"'nonce-"));
    if is_html && !has_page_policy {
        tracing::warn!(path, "a page came back without its nonce policy; setting it");
        if let Ok(policy) = HeaderValue::from_str(&app::security::page_content_security_policy(&nonce)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    response
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    let ping = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query_scalar::<_, i32>("select 1").fetch_one(&state.pool),
    )
    .await;
    match ping {
        Ok(Ok(_)) => (StatusCode::OK, "ready").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

/// Pages and server functions' answers are made for the person who asked:
/// no cache keeps them (`no-store`), so a browser never shows one, offline
/// or after sign-out, from an earlier visit; the service worker shows its
/// offline app instead. Files the page router serves keep their headers.
async fn never_store_personal_responses(mut response: Response) -> Response {
    let personal = response.headers().get(header::CONTENT_TYPE).is_some_and(|value| {
        let value = value.as_bytes();
        value.starts_with(b"text/html") || value.starts_with(b"application/json")
    });
    if personal && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Server functions answer every error with status 500; this gives each
/// [`app::error::AppError`] its own status (422, 401, 429…), and a
/// `Retry-After` when throttled, so clients and logs see what happened.
/// The largest server function error read back to set its status.
const MAX_ERROR_BODY_BYTES: usize = 16 * 1024 * 1024;

async fn error_status_from_server_fn_error(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error's text can hold what the author typed (a note type's
    // messages name its fields, one per template), so the bound is the
    // request's own: an error body is never larger than a few times it.
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let app::error::AppError::TooManyRequests { retry_after_secs } = error {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
