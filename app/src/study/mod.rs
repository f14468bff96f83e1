//! Study: each learner reviews cards on their own schedule, computed by
//! FSRS-6 in the browser (for an instant next card) and on the server (which
//! keeps the authoritative state).

pub mod fuzz;
pub mod scheduler;
