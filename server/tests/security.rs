//! The security suite: each hole an adversarial review found, kept closed.
//! One test binary, so the app is linked once for all of it.

mod support;

#[path = "security/forms.rs"]
mod forms;
#[path = "security/inputs.rs"]
mod inputs;
