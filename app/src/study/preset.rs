//! A deck's study preset: how its cards are scheduled and how many a
//! learner meets each day. Set by the author of a top-level deck for
//! everyone who studies it; its subdecks use it.

use serde::{Deserialize, Serialize};

use super::scheduler::{Scheduler, SchedulingError, SchedulingOptions, DESIRED_RETENTION_RANGE};
use crate::{error::AppError, ui::validate::FieldErrors};

pub const DEFAULT_NEW_CARDS_PER_DAY: u32 = 20;
pub const DEFAULT_REVIEWS_PER_DAY: u32 = 200;
/// Lapses at which a card becomes a leech (Anki's default).
pub const DEFAULT_LEECH_THRESHOLD: u32 = 8;
pub const MAX_NEW_CARDS_PER_DAY: u32 = 9_999;
pub const MAX_REVIEWS_PER_DAY: u32 = 99_999;
pub const MAX_LEECH_THRESHOLD: u32 = 99;
/// Steps past this count are a sign of a typo rather than a plan.
pub const MAX_STEPS: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyPreset {
    pub scheduling: SchedulingOptions,
    pub new_cards_per_day: u32,
    pub reviews_per_day: u32,
    /// Whether answering a card sends the other new and review cards of its
    /// note to the next day.
    pub bury_siblings: bool,
    /// Lapses at which a card becomes a leech; 0 for never.
    pub leech_threshold: u32,
    /// Whether a leech is also suspended (it is always marked).
    pub leech_suspends: bool,
}

impl Default for StudyPreset {
    fn default() -> Self {
        StudyPreset {
            scheduling: SchedulingOptions::default(),
            new_cards_per_day: DEFAULT_NEW_CARDS_PER_DAY,
            reviews_per_day: DEFAULT_REVIEWS_PER_DAY,
            bury_siblings: false,
            leech_threshold: DEFAULT_LEECH_THRESHOLD,
            leech_suspends: false,
        }
    }
}

/// The study-options form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresetInput {
    pub desired_retention: String,
    pub maximum_interval_days: String,
    pub new_cards_per_day: String,
    pub reviews_per_day: String,
    pub learning_steps: String,
    pub relearning_steps: String,
    /// A checkbox: present ("on") when ticked.
    #[serde(default)]
    pub bury_siblings: Option<String>,
    pub leech_threshold: String,
    /// "mark" or "suspend".
    pub leech_action: String,
}

fn whole_number(text: &str, range: std::ops::RangeInclusive<u32>, what: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|number| range.contains(number))
        .ok_or_else(|| {
            format!(
                "{what} must be a whole number from {} to {}.",
                range.start(),
                range.end()
            )
        })
}

/// Steps as Anki writes them: "1m 10m", "30s 1h 1d". Empty for none.
pub fn parse_steps(text: &str) -> Result<Vec<u32>, String> {
    let steps: Vec<u32> = text
        .split([' ', ','])
        .filter(|step| !step.is_empty())
        .map(|step| {
            let unit_at = step.find(|c: char| !c.is_ascii_digit()).unwrap_or(step.len());
            let (number, unit) = step.split_at(unit_at);
            let seconds_per_unit = match unit {
                "s" => 1,
                "" | "m" => 60,
                "h" => 3_600,
                "d" => 86_400,
                _ => return None,
            };
            number
                .parse::<u32>()
                .ok()
                .and_then(|number| number.checked_mul(seconds_per_unit))
                .filter(|seconds| (1..=86_400).contains(seconds))
        })
        .collect::<Option<_>>()
        .ok_or_else(|| "Write steps like “1m 10m”: each from 1s to 1d.".to_owned())?;
    if steps.len() > MAX_STEPS {
        return Err(format!("Use at most {MAX_STEPS} steps."));
    }
    Ok(steps)
}

/// Steps written back the way [`parse_steps`] reads them.
pub fn format_steps(steps: &[u32]) -> String {
    steps
        .iter()
        .map(|&seconds| match seconds {
            s if s % 86_400 == 0 => format!("{}d", s / 86_400),
            s if s % 3_600 == 0 => format!("{}h", s / 3_600),
            s if s % 60 == 0 => format!("{}m", s / 60),
            s => format!("{s}s"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl PresetInput {
    /// The form as typed, one value per field in a fixed order, for the form
    /// to start from after a refusal without JavaScript (`crate::unsaved`).
    pub fn typed_fields(&self) -> Vec<String> {
        vec![
            self.desired_retention.clone(),
            self.maximum_interval_days.clone(),
            self.new_cards_per_day.clone(),
            self.reviews_per_day.clone(),
            self.learning_steps.clone(),
            self.relearning_steps.clone(),
            self.bury_siblings.clone().unwrap_or_default(),
            self.leech_threshold.clone(),
            self.leech_action.clone(),
        ]
    }

    /// The form from [`PresetInput::typed_fields`].
    pub fn from_typed_fields(fields: Vec<String>) -> Option<PresetInput> {
        let [desired_retention, maximum_interval_days, new_cards_per_day, reviews_per_day, learning_steps, relearning_steps, bury_siblings, leech_threshold, leech_action] =
            <[String; 9]>::try_from(fields).ok()?;
        Some(PresetInput {
            desired_retention,
            maximum_interval_days,
            new_cards_per_day,
            reviews_per_day,
            learning_steps,
            relearning_steps,
            bury_siblings: (!bury_siblings.is_empty()).then_some(bury_siblings),
            leech_threshold,
            leech_action,
        })
    }

    /// The form filled in with `preset`, for editing.
    pub fn from_preset(preset: &StudyPreset) -> PresetInput {
        PresetInput {
            desired_retention: format!("{:.2}", preset.scheduling.desired_retention),
            maximum_interval_days: preset.scheduling.maximum_interval_days.to_string(),
            new_cards_per_day: preset.new_cards_per_day.to_string(),
            reviews_per_day: preset.reviews_per_day.to_string(),
            learning_steps: format_steps(&preset.scheduling.learning_steps_seconds),
            relearning_steps: format_steps(&preset.scheduling.relearning_steps_seconds),
            bury_siblings: preset.bury_siblings.then(|| "on".to_owned()),
            leech_threshold: preset.leech_threshold.to_string(),
            leech_action: if preset.leech_suspends { "suspend" } else { "mark" }.to_owned(),
        }
    }

    /// The options as typed, checked: every bad value is named next to its field.
    pub fn parse(&self) -> Result<StudyPreset, AppError> {
        let mut errors = FieldErrors::new();
        let desired_retention = match retention_from_text(&self.desired_retention) {
            Some(retention) if DESIRED_RETENTION_RANGE.contains(&retention) => retention,
            _ => {
                errors.add("desired_retention", SchedulingError::DesiredRetention.to_string());
                0.9
            }
        };
        let maximum_interval_days = errors.check(
            "maximum_interval_days",
            whole_number(&self.maximum_interval_days, 1..=36_500, "The maximum interval"),
        );
        let new_cards_per_day = errors.check(
            "new_cards_per_day",
            whole_number(
                &self.new_cards_per_day,
                0..=MAX_NEW_CARDS_PER_DAY,
                "New cards a day",
            ),
        );
        let reviews_per_day = errors.check(
            "reviews_per_day",
            whole_number(&self.reviews_per_day, 0..=MAX_REVIEWS_PER_DAY, "Reviews a day"),
        );
        let learning_steps_seconds = errors.check("learning_steps", parse_steps(&self.learning_steps));
        let relearning_steps_seconds = errors.check("relearning_steps", parse_steps(&self.relearning_steps));
        let leech_threshold = errors.check(
            "leech_threshold",
            whole_number(
                &self.leech_threshold,
                0..=MAX_LEECH_THRESHOLD,
                "The leech threshold",
            ),
        );
        let leech_suspends = match self.leech_action.as_str() {
            "suspend" => true,
            "mark" => false,
            _ => {
                errors.add("leech_action", "Choose what happens to a leech.");
                false
            }
        };
        let preset = StudyPreset {
            scheduling: SchedulingOptions {
                desired_retention,
                maximum_interval_days,
                learning_steps_seconds,
                relearning_steps_seconds,
                ..SchedulingOptions::default()
            },
            new_cards_per_day,
            reviews_per_day,
            bury_siblings: self.bury_siblings.is_some(),
            leech_threshold,
            leech_suspends,
        };
        if errors.is_empty() {
            // Whatever the rules above missed, the scheduler itself refuses.
            if let Err(error) = Scheduler::new(preset.scheduling.clone()) {
                errors.add("desired_retention", error.to_string());
            }
        }
        errors.into_result(preset)
    }
}

/// A desired retention as people write it: a share with a decimal point or
/// a decimal comma ("0.9", "0,9"), or a percentage, with or without its
/// sign ("90%", "90").
fn retention_from_text(text: &str) -> Option<f32> {
    let text = text.trim();
    let (number, percent) = match text.strip_suffix('%') {
        Some(number) => (number.trim_end(), true),
        None => (text, false),
    };
    let value: f32 = number.replace(',', ".").parse().ok()?;
    Some(if percent || value > 1.0 {
        value / 100.0
    } else {
        value
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_and_write_as_anki_writes_them() {
        assert_eq!(parse_steps("1m 10m"), Ok(vec![60, 600]));
        assert_eq!(parse_steps("30s, 1h 1d 5"), Ok(vec![30, 3_600, 86_400, 300]));
        assert_eq!(parse_steps("  "), Ok(vec![]));
        for bad in ["10x", "0m", "2d", "m", "-1m", "99999999999m"] {
            assert!(parse_steps(bad).is_err(), "{bad}");
        }
        assert!(parse_steps(&"1m ".repeat(MAX_STEPS + 1)).is_err());
        assert_eq!(
            format_steps(&[30, 60, 600, 5_400, 7_200, 86_400]),
            "30s 1m 10m 90m 2h 1d"
        );
    }

    #[test]
    fn the_default_preset_survives_its_own_form() {
        let preset = StudyPreset::default();
        assert_eq!(PresetInput::from_preset(&preset).parse().unwrap(), preset);
        let mut custom = PresetInput::from_preset(&preset);
        custom.bury_siblings = Some("on".into());
        custom.leech_action = "suspend".into();
        custom.learning_steps = "1m 10m 1h".into();
        let parsed = custom.parse().unwrap();
        assert!(parsed.bury_siblings && parsed.leech_suspends);
        assert_eq!(parsed.scheduling.learning_steps_seconds, vec![60, 600, 3_600]);
    }

    #[test]
    fn a_retention_is_read_as_people_write_it() {
        for (typed, read) in [
            ("0.9", 0.9),
            (" 0,85 ", 0.85),
            ("90%", 0.9),
            ("85 %", 0.85),
            ("92", 0.92),
        ] {
            assert_eq!(retention_from_text(typed), Some(read), "{typed}");
        }
        for typed in ["", "ninety", "0.9.1", "%", "-"] {
            assert_eq!(retention_from_text(typed), None, "{typed}");
        }
    }

    #[test]
    fn each_bad_value_is_named_next_to_its_field() {
        let input = PresetInput {
            desired_retention: "1.5".into(),
            maximum_interval_days: "0".into(),
            new_cards_per_day: "ten".into(),
            reviews_per_day: "-1".into(),
            learning_steps: "1x".into(),
            relearning_steps: "10m".into(),
            bury_siblings: None,
            leech_threshold: "100".into(),
            leech_action: "explode".into(),
        };
        let error = input.parse().unwrap_err();
        for field in [
            "desired_retention",
            "maximum_interval_days",
            "new_cards_per_day",
            "reviews_per_day",
            "learning_steps",
            "leech_threshold",
            "leech_action",
        ] {
            assert!(error.field_message(field).is_some(), "{field}: {error:?}");
        }
        assert!(error.field_message("relearning_steps").is_none());
    }
}
