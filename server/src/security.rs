//! Request-level defences: the cross-site request check and the client
//! address used for throttling.

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

use app::state::ClientIp;
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Origins whose pages may submit to Engram besides its own host.
#[derive(Debug, Clone)]
pub struct TrustedOrigins(pub Arc<[String]>);

/// Refuses cross-site state-changing requests (CSRF). Leptos server functions
/// have no defence of their own, so every POST passes through here.
///
/// Browsers say where a request comes from in `Sec-Fetch-Site`; older ones
/// only in `Origin`. A request with neither did not come from a browser page,
/// so it carries no one's cookies by accident. The order of checks follows
/// Go's `net/http.CrossOriginProtection`.
pub async fn reject_cross_site_requests(
    State(trusted): State<TrustedOrigins>,
    request: Request,
    next: Next,
) -> Response {
    if is_safe_method(request.method()) || is_same_site_request(request.headers(), &trusted) {
        next.run(request).await
    } else {
        tracing::warn!(
            origin = ?request.headers().get(header::ORIGIN),
            sec_fetch_site = ?request.headers().get("sec-fetch-site"),
            "refused a cross-site request"
        );
        (
            StatusCode::FORBIDDEN,
            "Cross-site request refused: this action can only be submitted from Engram's own pages.",
        )
            .into_response()
    }
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_site_request(headers: &HeaderMap, trusted: &TrustedOrigins) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok());
    if let Some(origin) = origin {
        if trusted.0.iter().any(|trusted| trusted == origin) {
            return true;
        }
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = origin else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|value| value.to_str().ok());
    match (origin.split_once("://"), host) {
        (Some((_, origin_host)), Some(host)) => origin_host.eq_ignore_ascii_case(host),
        _ => false,
    }
}

/// Records who is asking in the request's extensions as [`ClientIp`]: the
/// peer address, or with `trust_proxy` the last `X-Forwarded-For` entry (the
/// one our own proxy appended; earlier entries are the client's to forge).
pub async fn attach_client_ip(State(trust_proxy): State<bool>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    let forwarded = trust_proxy
        .then(|| last_forwarded_for(request.headers()))
        .flatten();
    if let Some(ip) = forwarded.or(peer) {
        request.extensions_mut().insert(ClientIp(ip));
    }
    next.run(request).await
}

fn last_forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    // Only the very last entry counts: if it is unreadable, an earlier one
    // must not stand in for it.
    let last_header = headers.get_all("x-forwarded-for").iter().next_back()?;
    let last_entry = last_header.to_str().ok()?.rsplit(',').next()?;
    last_entry.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, value.parse().unwrap());
        }
        headers
    }

    fn no_trusted_origins() -> TrustedOrigins {
        TrustedOrigins(Arc::from(Vec::new()))
    }

    #[test]
    fn a_same_origin_fetch_is_allowed() {
        let headers = headers(&[("sec-fetch-site", "same-origin"), ("origin", "http://a.test")]);
        assert!(is_same_site_request(&headers, &no_trusted_origins()));
    }

    #[test]
    fn a_cross_site_fetch_is_refused() {
        let headers = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.test"),
            ("host", "a.test"),
        ]);
        assert!(!is_same_site_request(&headers, &no_trusted_origins()));
    }

    #[test]
    fn a_same_site_subdomain_is_refused() {
        let headers = headers(&[("sec-fetch-site", "same-site")]);
        assert!(!is_same_site_request(&headers, &no_trusted_origins()));
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_match_the_host() {
        let same = headers(&[("origin", "http://cards.test:3000"), ("host", "cards.test:3000")]);
        let other = headers(&[("origin", "http://evil.test"), ("host", "cards.test:3000")]);
        let opaque = headers(&[("origin", "null"), ("host", "cards.test:3000")]);
        assert!(is_same_site_request(&same, &no_trusted_origins()));
        assert!(!is_same_site_request(&other, &no_trusted_origins()));
        assert!(!is_same_site_request(&opaque, &no_trusted_origins()));
    }

    #[test]
    fn a_trusted_origin_is_allowed_from_another_host() {
        let trusted = TrustedOrigins(Arc::from(vec!["https://cards.example.org".to_owned()]));
        let headers = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://cards.example.org"),
        ]);
        assert!(is_same_site_request(&headers, &trusted));
    }

    #[test]
    fn a_request_from_outside_a_browser_is_allowed() {
        assert!(is_same_site_request(&HeaderMap::new(), &no_trusted_origins()));
    }

    #[test]
    fn the_last_forwarded_address_is_the_one_our_proxy_saw() {
        let headers = headers(&[
            ("x-forwarded-for", "10.0.0.1, 203.0.113.7"),
            ("x-forwarded-for", "198.51.100.2"),
        ]);
        assert_eq!(
            last_forwarded_for(&headers),
            Some("198.51.100.2".parse().unwrap())
        );
    }
}
