//! The card browser: a learner's or author's own cards, searched with a
//! subset of Anki's syntax, sorted, paged and changed in bulk.

pub mod query;
