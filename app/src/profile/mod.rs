//! A person's own settings: their account (name, email address, password,
//! whose forms are `auth`'s), and where their study days begin (their time
//! zone and the hour a new day starts), which every queue, count and
//! statistic uses.
//!
//! The time zone is detected from the browser the first time a signed-in
//! page runs, unless the learner already chose one, and can be changed here.

pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;

use serde::{Deserialize, Serialize};

use crate::{error::AppError, study::scheduler::DEFAULT_ROLLOVER_HOUR, ui::validate::FieldErrors};

/// The longest IANA time zone name PostgreSQL knows is 32 characters.
pub const MAX_TIME_ZONE_CHARS: usize = 64;

/// The `saved` value in the settings page's address after its study days
/// were saved by a form posted without JavaScript.
pub const STUDY_DAYS_SAVED: &str = "study-days";

/// Where a learner's study days begin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudyDays {
    /// An IANA name such as "Europe/Madrid"; `None` until detected or chosen
    /// (read as UTC).
    pub time_zone: Option<String>,
    /// The hour (0–23) at which a new study day starts.
    pub day_starts_at: u8,
}

impl Default for StudyDays {
    fn default() -> Self {
        StudyDays {
            time_zone: None,
            day_starts_at: DEFAULT_ROLLOVER_HOUR,
        }
    }
}

/// The study-days form as posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudyDaysInput {
    pub time_zone: String,
    pub day_starts_at: String,
}

/// Checked on its own; the server also checks that it knows the zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidStudyDays {
    pub time_zone: String,
    pub day_starts_at: u8,
}

/// Said of a zone name that is not one of the zones the database knows.
pub const UNKNOWN_TIME_ZONE: &str = "That is not a time zone we know.";
pub const TIME_ZONE_MISSING: &str = "Choose a time zone.";
pub const HOUR_OUT_OF_RANGE: &str = "Choose an hour from 0 to 23.";

impl StudyDaysInput {
    /// The form's values, checked. `is_known_zone` says whether a plausible
    /// name is one the database knows (the server asks it before), so that
    /// both fields are judged in one answer.
    pub fn parse(&self, is_known_zone: impl Fn(&str) -> bool) -> Result<ValidStudyDays, AppError> {
        let mut errors = FieldErrors::new();
        let time_zone = self.time_zone.trim().to_owned();
        if time_zone.is_empty() {
            errors.add("time_zone", TIME_ZONE_MISSING);
        } else if !is_plausible_time_zone(&time_zone) || !is_known_zone(&time_zone) {
            errors.add("time_zone", UNKNOWN_TIME_ZONE);
        }
        let day_starts_at = match self.day_starts_at.trim().parse::<u8>() {
            Ok(hour) if hour < 24 => hour,
            _ => {
                errors.add("day_starts_at", HOUR_OUT_OF_RANGE);
                0
            }
        };
        errors.into_result(ValidStudyDays {
            time_zone,
            day_starts_at,
        })
    }
}

/// Whether `zone` could be a zone name at all: short, and without control
/// characters (PostgreSQL refuses a NUL in text outright, which would be an
/// error of ours rather than a clear refusal).
pub fn is_plausible_time_zone(zone: &str) -> bool {
    zone.chars().count() <= MAX_TIME_ZONE_CHARS && !zone.chars().any(char::is_control)
}

/// What the settings page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPageData {
    /// The person's account, for its own forms.
    pub account: crate::auth::User,
    /// The address the account asked to move to, while the link sent there
    /// waits to be opened.
    pub waiting_email: Option<String>,
    pub study_days: StudyDays,
    /// Every time zone the learner can choose, by name.
    pub time_zones: Vec<String>,
}

/// "4 a.m.", "noon", "11 p.m." for the hour choices.
pub fn hour_label(hour: u8) -> String {
    match hour {
        0 => "midnight".to_owned(),
        12 => "noon".to_owned(),
        1..=11 => format!("{hour} a.m."),
        _ => format!("{} p.m.", hour - 12),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(time_zone: &str, day_starts_at: &str) -> StudyDaysInput {
        StudyDaysInput {
            time_zone: time_zone.into(),
            day_starts_at: day_starts_at.into(),
        }
    }

    #[test]
    fn study_days_need_a_zone_and_an_hour_of_the_day() {
        assert_eq!(
            input(" Europe/Madrid ", "4").parse(|_| true).unwrap(),
            ValidStudyDays {
                time_zone: "Europe/Madrid".into(),
                day_starts_at: 4
            }
        );
        for (zone, hour, field) in [
            ("", "4", "time_zone"),
            ("UTC", "24", "day_starts_at"),
            ("UTC", "x", "day_starts_at"),
        ] {
            let error = input(zone, hour).parse(|_| true).unwrap_err();
            assert!(
                error.field_message(field).is_some(),
                "{zone:?} {hour:?}: {error:?}"
            );
        }
        // An unknown zone and a bad hour are both said at once.
        let error = input("Mars/Olympus", "25")
            .parse(|zone| zone != "Mars/Olympus")
            .unwrap_err();
        assert_eq!(
            error.field_message("time_zone").as_deref(),
            Some(UNKNOWN_TIME_ZONE)
        );
        assert!(error.field_message("day_starts_at").is_some(), "{error:?}");
        assert!(input("Europe/\0Madrid", "4")
            .parse(|_| true)
            .unwrap_err()
            .field_message("time_zone")
            .is_some());
        let long = "A".repeat(MAX_TIME_ZONE_CHARS + 1);
        assert!(input(&long, "4")
            .parse(|_| true)
            .unwrap_err()
            .field_message("time_zone")
            .is_some());
    }

    #[test]
    fn hours_read_as_people_say_them() {
        let labels: Vec<String> = [0, 4, 12, 23].into_iter().map(hour_label).collect();
        assert_eq!(labels, ["midnight", "4 a.m.", "noon", "11 p.m."]);
    }
}
