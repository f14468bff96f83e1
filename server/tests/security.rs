//! Security regressions, through the real router on a fresh database per test.
//! Each area's tests live in `security/<area>.rs`.

mod support;

#[path = "security/auth.rs"]
mod auth;
