//! Notes: the facts a teacher or learner writes, from which cards are made.

pub mod cloze;
