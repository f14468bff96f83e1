//! Media uploads through the real router and the local object store:
//! content addressing, sniffing, limits and who may upload.

mod support;

use axum::http::StatusCode;
use support::{admin, TestApp};

/// The smallest valid PNG: one transparent pixel.
const PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
    0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[tokio::test]
async fn an_image_is_stored_by_its_hash_and_served_back() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    let response = admin.upload(PIXEL_PNG).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
    let uploaded = response.json();
    let hash = uploaded["sha256"].as_str().unwrap().to_owned();
    assert_eq!(hash.len(), 64);
    assert_eq!(uploaded["content_type"], "image/png");
    assert_eq!(uploaded["url"], format!("/media/{hash}"));

    // The same bytes again: the same address, one row.
    let again = admin.upload(PIXEL_PNG).await.json();
    assert_eq!(again["sha256"], hash.as_str());
    let rows: i64 = sqlx::query_scalar("select count(*) from media")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);

    let mut visitor = TestApp::new(pool).await;
    let served = visitor.get(&format!("/media/{hash}")).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), Some("image/png"));
    assert!(served.header("cache-control").unwrap().contains("immutable"));
    assert!(served
        .header("content-security-policy")
        .unwrap()
        .contains("sandbox"));
    assert_eq!(
        visitor.get(&format!("/media/{}", "0".repeat(64))).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor.get("/media/..%2F..%2Fetc%2Fpasswd").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_type_is_sniffed_and_disallowed_files_are_refused() {
    let pool = support::fresh_database().await;
    let mut admin = admin(&pool).await;
    for bytes in [
        b"<html><script>alert(document.cookie)</script></html>".as_slice(),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".as_slice(),
        b"just some text".as_slice(),
    ] {
        let response = admin.upload(bytes).await;
        assert_eq!(response.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(response.json()["error"]
            .as_str()
            .unwrap()
            .contains("cannot be used"));
    }
    let empty = admin.upload(b"").await;
    assert_eq!(empty.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(empty.json()["error"], "The file is empty.");
    let rows: i64 = sqlx::query_scalar("select count(*) from media")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_with_the_limit_named() {
    let pool = support::fresh_database().await;
    let mut admin = TestApp::from_cli(pool.clone(), ["server", "--max-upload-bytes", "1024"]).await;
    admin.register("admin@example.org", "Admin").await;
    let mut big = PIXEL_PNG.to_vec();
    big.resize(4096, 0);
    let response = admin.upload(&big).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.json()["error"], "The file is 4 KiB; the limit is 1 KiB.");
    assert_eq!(admin.upload(PIXEL_PNG).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn visitors_cannot_upload_and_other_sites_cannot_post() {
    let pool = support::fresh_database().await;
    let mut visitor = TestApp::new(pool.clone()).await;
    assert_eq!(visitor.upload(PIXEL_PNG).await.status, StatusCode::UNAUTHORIZED);
    let mut admin = admin(&pool).await;
    admin.origin = "https://evil.example";
    let request = axum::http::Request::post("/api/media")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::from(PIXEL_PNG.to_vec()))
        .unwrap();
    assert_eq!(admin.send(request).await.status, StatusCode::FORBIDDEN);
}
