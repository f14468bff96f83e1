//! Security regressions, through the real router on a fresh database per test.

mod support;

// A test binary's root sits beside its modules' folder, so the path is explicit.
#[path = "security/rendering.rs"]
mod rendering;
