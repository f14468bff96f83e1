//! The security suite: each hole an adversarial review found, kept closed,
//! through the real router on a fresh database per test. One test binary,
//! so the app is linked once for all of it; each area is in `security/`.

mod support;

#[path = "security/auth.rs"]
mod auth;
#[path = "security/forms.rs"]
mod forms;
#[path = "security/inputs.rs"]
mod inputs;
#[path = "security/rendering.rs"]
mod rendering;
