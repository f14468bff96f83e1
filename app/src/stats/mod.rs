//! Statistics: what a learner has done and what lies ahead, for all their
//! decks or one deck they study (with its subdecks).
//!
//! The feature's shape: this file holds the types both targets share and the
//! pure helpers (days to dates, streaks, retention per period, buckets,
//! chart geometry); `db` aggregates the review log in SQL and is
//! server-only; `api` is one thin server function; `pages` draws the charts
//! as server-rendered SVG, each with a table of the same numbers.
//!
//! Days are the learner's own days (`study::scheduler::DayClock`): day `n`
//! is the calendar date 1970-01-01 + `n` days, starting at the learner's
//! rollover hour in their time zone.

pub mod api;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod db;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

/// How far ahead the forecast looks, today included.
pub const FORECAST_DAYS: usize = 30;

/// Columns (weeks, Monday first) in the calendar heatmap: a year and the
/// current week.
pub const HEATMAP_WEEKS: i64 = 53;

/// An interval of at least this many days makes a review "mature" (Anki's
/// threshold); shorter ones are "young".
pub const MATURE_INTERVAL_DAYS: i32 = 21;

/// A deck the learner studies, as the deck selector offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckChoice {
    pub id: Uuid,
    pub title: String,
}

/// Standing reviews (none an undo took back) on one learner day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: i64,
    pub reviews: u32,
    pub duration_ms: i64,
}

/// Answers given in review phase, and how many of them were not Again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub passed: u32,
    pub total: u32,
}

impl std::ops::Add for Tally {
    type Output = Tally;

    fn add(self, other: Tally) -> Tally {
        Tally {
            passed: self.passed + other.passed,
            total: self.total + other.total,
        }
    }
}

impl Tally {
    /// The share remembered, in whole percent; `None` without answers.
    pub fn percent(&self) -> Option<u32> {
        (self.total > 0).then(|| ((f64::from(self.passed) * 100.0 / f64::from(self.total)).round()) as u32)
    }
}

/// One learner day's activity as the database sums it: the day's count
/// and time, and its review-phase answers split by interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayActivity {
    pub day: i64,
    pub reviews: u32,
    pub duration_ms: i64,
    pub young: Tally,
    pub mature: Tally,
}

/// The spans true retention is shown for, each ending today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    Week,
    Month,
    Year,
    AllTime,
}

impl Period {
    pub const ALL: [Period; 4] = [Period::Week, Period::Month, Period::Year, Period::AllTime];

    pub fn label(self) -> &'static str {
        match self {
            Period::Week => "Last 7 days",
            Period::Month => "Last 30 days",
            Period::Year => "Last 365 days",
            Period::AllTime => "All time",
        }
    }

    /// Whether `day` falls in the period ending on `today`.
    pub fn contains(self, day: i64, today: i64) -> bool {
        let days = match self {
            Period::Week => 7,
            Period::Month => 30,
            Period::Year => 365,
            Period::AllTime => return day <= today,
        };
        day > today - days && day <= today
    }
}

/// True retention over one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionRow {
    pub period: Period,
    pub young: Tally,
    pub mature: Tally,
}

impl RetentionRow {
    pub fn total(&self) -> Tally {
        self.young + self.mature
    }
}

/// A range of values drawn as one bar: values below `upper` (and at or
/// above the previous bucket's `upper`) fall in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    pub upper: f32,
    /// For the table and the bar's tooltip.
    pub label: &'static str,
    /// Under the bar.
    pub short: &'static str,
}

const fn bucket(upper: f32, label: &'static str, short: &'static str) -> Bucket {
    Bucket { upper, label, short }
}

/// Stability, in days.
pub const STABILITY_BUCKETS: [Bucket; 9] = [
    bucket(1.0, "Under 1 day", "<1d"),
    bucket(3.0, "1 to 3 days", "1d"),
    bucket(7.0, "3 to 7 days", "3d"),
    bucket(14.0, "1 to 2 weeks", "1w"),
    bucket(30.0, "2 weeks to a month", "2w"),
    bucket(90.0, "1 to 3 months", "1m"),
    bucket(180.0, "3 to 6 months", "3m"),
    bucket(365.0, "6 months to a year", "6m"),
    bucket(f32::INFINITY, "A year or more", "1y+"),
];

/// Difficulty as Anki shows it: FSRS's 1–10 as 0–100%.
pub const DIFFICULTY_BUCKETS: [Bucket; 10] = percent_buckets();

/// Retrievability, the chance of recalling a card now, in percent.
pub const RETRIEVABILITY_BUCKETS: [Bucket; 10] = percent_buckets();

const fn percent_buckets() -> [Bucket; 10] {
    [
        bucket(10.0, "0 to 10%", "0%"),
        bucket(20.0, "10 to 20%", "10%"),
        bucket(30.0, "20 to 30%", "20%"),
        bucket(40.0, "30 to 40%", "30%"),
        bucket(50.0, "40 to 50%", "40%"),
        bucket(60.0, "50 to 60%", "50%"),
        bucket(70.0, "60 to 70%", "60%"),
        bucket(80.0, "70 to 80%", "70%"),
        bucket(90.0, "80 to 90%", "80%"),
        bucket(f32::INFINITY, "90 to 100%", "90%"),
    ]
}

/// How many of `values` fall in each of `buckets` (not-a-number falls in none).
pub fn histogram(values: impl IntoIterator<Item = f32>, buckets: &[Bucket]) -> Vec<u32> {
    let mut counts = vec![0; buckets.len()];
    for value in values {
        if let Some(index) = buckets.iter().position(|bucket| value < bucket.upper) {
            counts[index] += 1;
        }
    }
    counts
}

/// Cards counted into the buckets of one measure, with their average.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub counts: Vec<u32>,
    pub average: Option<f32>,
}

impl Distribution {
    pub fn of(values: &[f32], buckets: &[Bucket]) -> Distribution {
        let average = (!values.is_empty()).then(|| values.iter().sum::<f32>() / values.len() as f32);
        Distribution {
            counts: histogram(values.iter().copied(), buckets),
            average,
        }
    }
}

/// What FSRS knows of one card for the learner, as `card_states` keeps it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardMemory {
    pub stability: f32,
    pub difficulty: f32,
    /// Days since the card's last review (fractional).
    pub elapsed_days: f32,
}

/// The forgetting curve's decay in a learner's FSRS-6 parameters (the last
/// of the 21), or FSRS-6's default when they have none of their own.
pub fn decay(parameters: &[f32]) -> f32 {
    match parameters {
        [.., decay] if parameters.len() == 21 => *decay,
        _ => fsrs::FSRS6_DEFAULT_DECAY,
    }
}

/// The chance of recalling a card now: FSRS-6's forgetting curve with the
/// learner's `decay`.
pub fn retrievability(card: &CardMemory, decay: f32) -> f32 {
    fsrs::current_retrievability(
        fsrs::MemoryState {
            stability: card.stability,
            difficulty: card.difficulty,
        },
        card.elapsed_days.max(0.0),
        decay,
    )
}

/// The distributions of stability, difficulty and retrievability.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Memories {
    /// Cards with a memory state (studied at least once).
    pub cards: u32,
    pub stability: Distribution,
    pub difficulty: Distribution,
    pub retrievability: Distribution,
}

impl Memories {
    pub fn of(cards: &[CardMemory], decay: f32) -> Memories {
        let column = |value: fn(&CardMemory) -> f32| cards.iter().map(value).collect::<Vec<f32>>();
        Memories {
            cards: u32::try_from(cards.len()).unwrap_or(u32::MAX),
            stability: Distribution::of(&column(|card| card.stability), &STABILITY_BUCKETS),
            difficulty: Distribution::of(
                &column(|card| (card.difficulty - 1.0) / 9.0 * 100.0),
                &DIFFICULTY_BUCKETS,
            ),
            retrievability: Distribution::of(
                &cards
                    .iter()
                    .map(|card| retrievability(card, decay) * 100.0)
                    .collect::<Vec<f32>>(),
                &RETRIEVABILITY_BUCKETS,
            ),
        }
    }
}

/// Everything the statistics page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// The deck shown (with its subdecks), or `None` for all the learner's reviews.
    pub deck: Option<DeckChoice>,
    /// Every deck the learner studies, for the selector.
    pub decks: Vec<DeckChoice>,
    /// The learner's day number today.
    pub today: i64,
    /// Days with reviews from `heatmap_first_day(today)` to today, in order.
    pub heatmap: Vec<DayCount>,
    pub reviews_today: u32,
    pub time_today_ms: i64,
    pub reviews_total: u64,
    pub time_total_ms: i64,
    /// Days in a row with a review, up to today (or yesterday, while today
    /// has none yet).
    pub streak_days: u32,
    pub retention: Vec<RetentionRow>,
    /// Cards due on each of the next `FORECAST_DAYS` days; the first holds
    /// today's and every overdue card.
    pub forecast: Vec<u32>,
    pub memories: Memories,
}

impl Statistics {
    /// Puts the page together from the day-by-day sums (any order) and the
    /// forecast's `(day, due cards)` pairs.
    pub fn assemble(
        deck: Option<DeckChoice>,
        decks: Vec<DeckChoice>,
        today: i64,
        days: &[DayActivity],
        due: &[(i64, u32)],
        memories: Memories,
    ) -> Statistics {
        let on_today = days.iter().find(|activity| activity.day == today);
        let first_day = heatmap_first_day(today);
        let mut heatmap: Vec<DayCount> = days
            .iter()
            .filter(|activity| (first_day..=today).contains(&activity.day) && activity.reviews > 0)
            .map(|activity| DayCount {
                day: activity.day,
                reviews: activity.reviews,
                duration_ms: activity.duration_ms,
            })
            .collect();
        heatmap.sort_by_key(|count| count.day);
        let active: Vec<i64> = days
            .iter()
            .filter(|activity| activity.reviews > 0)
            .map(|activity| activity.day)
            .collect();
        Statistics {
            deck,
            decks,
            today,
            heatmap,
            reviews_today: on_today.map_or(0, |activity| activity.reviews),
            time_today_ms: on_today.map_or(0, |activity| activity.duration_ms),
            reviews_total: days.iter().map(|activity| u64::from(activity.reviews)).sum(),
            time_total_ms: days.iter().map(|activity| activity.duration_ms).sum(),
            streak_days: streak(&active, today),
            retention: retention(days, today),
            forecast: forecast(due, today),
            memories,
        }
    }
}

/// Days in a row with a review, counting back from today, or from
/// yesterday when today has none yet (the streak is not broken until the
/// day ends). `active_days` may be in any order and hold duplicates.
pub fn streak(active_days: &[i64], today: i64) -> u32 {
    let active: std::collections::BTreeSet<i64> = active_days.iter().copied().collect();
    let mut day = if active.contains(&today) { today } else { today - 1 };
    let mut length = 0;
    while active.contains(&day) {
        length += 1;
        day -= 1;
    }
    length
}

/// True retention for each of `Period::ALL`.
pub fn retention(days: &[DayActivity], today: i64) -> Vec<RetentionRow> {
    Period::ALL
        .into_iter()
        .map(|period| {
            days.iter()
                .filter(|activity| period.contains(activity.day, today))
                .fold(
                    RetentionRow {
                        period,
                        young: Tally::default(),
                        mature: Tally::default(),
                    },
                    |row, activity| RetentionRow {
                        period,
                        young: row.young + activity.young,
                        mature: row.mature + activity.mature,
                    },
                )
        })
        .collect()
}

/// Due cards per day from today, `FORECAST_DAYS` long; overdue cards count
/// today, and days beyond the window are left out.
pub fn forecast(due: &[(i64, u32)], today: i64) -> Vec<u32> {
    let mut counts = vec![0; FORECAST_DAYS];
    for &(day, cards) in due {
        if let Ok(index) = usize::try_from((day - today).max(0)) {
            if let Some(count) = counts.get_mut(index) {
                *count += cards;
            }
        }
    }
    counts
}

/// Reads the page's `deck` parameter: absent or empty for all decks, else a
/// deck id; anything else names no deck.
pub fn parse_deck_param(value: Option<&str>) -> Result<Option<Uuid>, AppError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

// Days and dates.

/// Monday 0 to Sunday 6. Day 0 (1970-01-01) was a Thursday.
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// The Monday that starts the heatmap's first column.
pub fn heatmap_first_day(today: i64) -> i64 {
    today - weekday(today) - (HEATMAP_WEEKS - 1) * 7
}

/// The calendar date of learner day `day`: (year, month 1–12, day 1–31).
/// Howard Hinnant's `civil_from_days`, proleptic Gregorian.
pub fn civil_date(day: i64) -> (i64, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day_of_month = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day_of_month)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn month_name(month: u32) -> &'static str {
    MONTHS[(month as usize).clamp(1, 12) - 1]
}

/// "Mon 3 Mar 2026".
pub fn date_label(day: i64) -> String {
    let (year, month, day_of_month) = civil_date(day);
    format!(
        "{} {day_of_month} {} {year}",
        WEEKDAYS[weekday(day) as usize],
        month_name(month)
    )
}

/// "3 Mar": a forecast day.
pub fn short_date_label(day: i64) -> String {
    let (_, month, day_of_month) = civil_date(day);
    format!("{day_of_month} {}", month_name(month))
}

/// "45 seconds", "12 minutes", "3 hours 5 minutes".
pub fn time_spent_text(milliseconds: i64) -> String {
    use crate::ui::plural;
    let seconds = milliseconds.max(0) / 1000;
    match seconds {
        0..=59 => plural(seconds, "second", "seconds"),
        60..=3599 => plural(seconds / 60, "minute", "minutes"),
        _ => format!(
            "{} {}",
            plural(seconds / 3600, "hour", "hours"),
            plural(seconds % 3600 / 60, "minute", "minutes")
        ),
    }
}

// Chart geometry, in SVG user units.

/// One heatmap square's side and the step from one square to the next.
pub const HEAT_CELL: i64 = 11;
pub const HEAT_STEP: i64 = 14;
/// Room for the weekday labels on the left and the month labels on top.
pub const HEAT_LEFT: i64 = 30;
pub const HEAT_TOP: i64 = 16;

/// Room on the right for a month's name whose first day is in the last
/// week: the name is wider than the week's squares ("Dec" was cut to "De").
pub const HEAT_RIGHT: i64 = 12;

/// The heatmap's width and height.
pub fn heatmap_size() -> (i64, i64) {
    (
        HEAT_LEFT + HEATMAP_WEEKS * HEAT_STEP + HEAT_RIGHT,
        HEAT_TOP + 7 * HEAT_STEP,
    )
}

/// Where `day`'s square goes: its week's column and its weekday's row.
pub fn heat_cell_position(day: i64, first_day: i64) -> (i64, i64) {
    let column = (day - first_day).div_euclid(7);
    (
        HEAT_LEFT + column * HEAT_STEP,
        HEAT_TOP + weekday(day) * HEAT_STEP,
    )
}

/// The shade of a day with `count` reviews when the busiest shown day had
/// `busiest`: 0 for none, else 1 (a little) to 4 (the most).
pub fn heat_level(count: u32, busiest: u32) -> usize {
    if count == 0 || busiest == 0 {
        return 0;
    }
    (count as usize * 4).div_ceil(busiest as usize).clamp(1, 4)
}

/// Month names over the heatmap: one over each column holding a month's first day.
pub fn heatmap_month_labels(today: i64) -> Vec<(i64, &'static str)> {
    let first_day = heatmap_first_day(today);
    (first_day..=today)
        .filter_map(|day| {
            let (_, month, day_of_month) = civil_date(day);
            (day_of_month == 1).then(|| (heat_cell_position(day, first_day).0, month_name(month)))
        })
        .collect()
}

/// A bar chart's plot area within its SVG.
pub const BAR_CHART_WIDTH: f64 = 320.0;
pub const BAR_CHART_HEIGHT: f64 = 150.0;
pub const BAR_AREA_TOP: f64 = 14.0;
pub const BAR_AREA_BOTTOM: f64 = 130.0;
pub const BAR_AREA_LEFT: f64 = 4.0;

/// One bar's rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BarRect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Bars for `values` side by side across the plot area, scaled to the
/// largest; a bar of a count above zero is at least one unit tall.
pub fn bar_rects(values: &[u32]) -> Vec<BarRect> {
    let largest = values.iter().copied().max().unwrap_or(0).max(1);
    let pitch = (BAR_CHART_WIDTH - 2.0 * BAR_AREA_LEFT) / values.len().max(1) as f64;
    let gap = (pitch * 0.2).min(4.0);
    let plot_height = BAR_AREA_BOTTOM - BAR_AREA_TOP;
    values
        .iter()
        .enumerate()
        .map(|(index, &value)| {
            let height = if value == 0 {
                0.0
            } else {
                (f64::from(value) / f64::from(largest) * plot_height).max(1.0)
            };
            BarRect {
                x: BAR_AREA_LEFT + index as f64 * pitch + gap / 2.0,
                y: BAR_AREA_BOTTOM - height,
                width: pitch - gap,
                height,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(day: i64, reviews: u32, young: (u32, u32), mature: (u32, u32)) -> DayActivity {
        DayActivity {
            day,
            reviews,
            duration_ms: i64::from(reviews) * 1000,
            young: Tally {
                passed: young.0,
                total: young.1,
            },
            mature: Tally {
                passed: mature.0,
                total: mature.1,
            },
        }
    }

    #[test]
    fn a_streak_counts_days_in_a_row_up_to_today_or_yesterday() {
        assert_eq!(streak(&[], 100), 0);
        assert_eq!(streak(&[100], 100), 1);
        assert_eq!(streak(&[97, 98, 99, 100], 100), 4);
        // Not studied yet today: yesterday's run still counts.
        assert_eq!(streak(&[98, 99], 100), 2);
        // A gap ends it; order and duplicates do not matter.
        assert_eq!(streak(&[100, 95, 99, 99, 97, 96], 100), 2);
        assert_eq!(streak(&[97, 98], 100), 0);
    }

    #[test]
    fn values_fall_in_the_bucket_below_its_upper_bound() {
        assert_eq!(
            histogram([0.5, 1.0, 2.9, 3.0, 400.0, f32::NAN], &STABILITY_BUCKETS),
            vec![1, 2, 1, 0, 0, 0, 0, 0, 1]
        );
        assert_eq!(
            histogram([0.0, 9.99, 10.0, 99.9, 100.0], &RETRIEVABILITY_BUCKETS),
            vec![2, 1, 0, 0, 0, 0, 0, 0, 0, 2]
        );
    }

    #[test]
    fn difficulty_shows_as_a_percentage_and_retrievability_follows_fsrs() {
        let fresh = CardMemory {
            stability: 10.0,
            difficulty: 1.0,
            elapsed_days: 0.0,
        };
        let due = CardMemory {
            difficulty: 10.0,
            elapsed_days: 10.0,
            ..fresh
        };
        let default_decay = decay(&[]);
        assert_eq!(default_decay, fsrs::FSRS6_DEFAULT_DECAY);
        // After `stability` days, recall has fallen to 90% by definition.
        let at_stability = retrievability(&due, default_decay);
        assert!((at_stability - 0.9).abs() < 1e-4, "{at_stability}");
        assert!((retrievability(&fresh, default_decay) - 1.0).abs() < 1e-6);
        // Ten times its stability later, about 69%.
        let old = CardMemory {
            elapsed_days: 100.0,
            ..due
        };
        let memories = Memories::of(&[fresh, old], default_decay);
        assert_eq!(memories.cards, 2);
        assert_eq!(memories.difficulty.counts[0], 1);
        assert_eq!(memories.difficulty.counts[9], 1);
        assert_eq!(memories.retrievability.counts[9], 1);
        assert_eq!(memories.retrievability.counts[6], 1);
        assert_eq!(memories.stability.counts[3], 2, "1 to 2 weeks");
        assert_eq!(memories.stability.average, Some(10.0));
        assert_eq!(Memories::of(&[], default_decay).stability.average, None);

        // A learner's own parameters bring their own decay: with 0.5, the
        // old card is down to about 55%.
        let mut parameters = fsrs::DEFAULT_PARAMETERS.to_vec();
        parameters[20] = 0.5;
        assert_eq!(decay(&parameters), 0.5);
        assert_eq!(decay(&parameters[..20]), default_decay, "not a full set");
        let steeper = Memories::of(&[old], decay(&parameters));
        assert_eq!(steeper.retrievability.counts[5], 1);
    }

    #[test]
    fn retention_sums_the_review_answers_of_each_period() {
        let today = 1000;
        let days = [
            activity(1000, 5, (3, 4), (1, 1)),
            activity(990, 3, (1, 2), (0, 1)),
            activity(700, 2, (0, 0), (2, 2)),
        ];
        let rows = retention(&days, today);
        assert_eq!(rows.len(), 4);
        assert_eq!(
            (rows[0].young, rows[0].mature),
            (Tally { passed: 3, total: 4 }, Tally { passed: 1, total: 1 })
        );
        assert_eq!(rows[1].total(), Tally { passed: 5, total: 8 });
        assert_eq!(rows[2].total(), Tally { passed: 7, total: 10 });
        assert_eq!(rows[3].mature, Tally { passed: 3, total: 4 });
        assert_eq!(rows[3].total().percent(), Some(70));
        assert_eq!(Tally::default().percent(), None);
        assert_eq!(Tally { passed: 2, total: 3 }.percent(), Some(67));
    }

    #[test]
    fn the_statistics_take_today_the_heatmap_year_and_all_time_totals() {
        let today = 20_000;
        let days = [
            activity(today, 3, (0, 0), (0, 0)),
            activity(today - 1, 2, (0, 0), (0, 0)),
            activity(today - 400, 7, (0, 0), (0, 0)),
        ];
        let statistics = Statistics::assemble(
            None,
            vec![],
            today,
            &days,
            &[(today - 3, 2), (today + 2, 1)],
            Memories::default(),
        );
        assert_eq!(statistics.reviews_today, 3);
        assert_eq!(statistics.time_today_ms, 3000);
        assert_eq!(statistics.reviews_total, 12);
        assert_eq!(statistics.time_total_ms, 12_000);
        assert_eq!(statistics.streak_days, 2);
        assert_eq!(
            statistics
                .heatmap
                .iter()
                .map(|count| count.day)
                .collect::<Vec<_>>(),
            [today - 1, today],
            "the day 400 days ago is older than the heatmap"
        );
        assert_eq!(statistics.forecast.len(), FORECAST_DAYS);
        assert_eq!(&statistics.forecast[..3], &[2, 0, 1]);
    }

    #[test]
    fn the_forecast_puts_overdue_cards_today_and_drops_later_days() {
        let counts = forecast(&[(5, 1), (10, 2), (12, 3), (10 + FORECAST_DAYS as i64, 9)], 10);
        assert_eq!(counts[0], 3);
        assert_eq!(counts[2], 3);
        assert_eq!(counts.iter().sum::<u32>(), 6);
    }

    #[test]
    fn the_deck_parameter_is_empty_or_a_deck_id() {
        assert_eq!(parse_deck_param(None), Ok(None));
        assert_eq!(parse_deck_param(Some("")), Ok(None));
        let id = Uuid::from_u128(7);
        assert_eq!(parse_deck_param(Some(&id.to_string())), Ok(Some(id)));
        assert_eq!(parse_deck_param(Some("spanish")), Err(AppError::NotFound));
    }

    #[test]
    fn days_are_calendar_dates_from_1970() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(weekday(0), 3, "a Thursday");
        assert_eq!(civil_date(-1), (1969, 12, 31));
        // 2024-02-29 is day 19782, a Thursday.
        assert_eq!(civil_date(19_782), (2024, 2, 29));
        assert_eq!(date_label(19_782), "Thu 29 Feb 2024");
        assert_eq!(short_date_label(19_783), "1 Mar");
        assert_eq!(civil_date(20_454), (2026, 1, 1));
    }

    #[test]
    fn the_heatmap_is_53_weeks_from_a_monday_with_today_in_the_last_column() {
        let today = 20_454; // Thursday 1 January 2026
        let first = heatmap_first_day(today);
        assert_eq!(weekday(first), 0);
        assert_eq!(today - first, 52 * 7 + 3);
        assert_eq!(heat_cell_position(first, first), (HEAT_LEFT, HEAT_TOP));
        let (x, y) = heat_cell_position(today, first);
        assert_eq!(x, HEAT_LEFT + 52 * HEAT_STEP);
        assert_eq!(y, HEAT_TOP + 3 * HEAT_STEP);
        let (width, height) = heatmap_size();
        assert!(x + HEAT_CELL <= width && y + HEAT_CELL <= height);
        let labels = heatmap_month_labels(today);
        assert_eq!(labels.len(), 13, "January 2025 to January 2026");
        assert_eq!(labels.last(), Some(&(x, "Jan")));
        // A name three letters wide (at most 22 units at its font size of
        // 10) fits after the last column's start.
        assert!(x + 22 <= width, "{x} {width}");
    }

    #[test]
    fn heat_levels_grow_with_the_count() {
        assert_eq!(heat_level(0, 10), 0);
        assert_eq!(heat_level(1, 10), 1);
        assert_eq!(heat_level(5, 10), 2);
        assert_eq!(heat_level(10, 10), 4);
        assert_eq!(heat_level(3, 0), 0);
    }

    #[test]
    fn bars_share_the_width_and_scale_to_the_largest() {
        let bars = bar_rects(&[0, 5, 10]);
        assert_eq!(bars.len(), 3);
        assert_eq!(bars[0].height, 0.0);
        assert_eq!(bars[2].height, BAR_AREA_BOTTOM - BAR_AREA_TOP);
        assert_eq!(bars[1].height * 2.0, bars[2].height);
        assert!(bars[0].x + bars[0].width < bars[1].x);
        assert!(bars[2].x + bars[2].width <= BAR_CHART_WIDTH - BAR_AREA_LEFT);
        // A tiny count is still visible beside a huge one.
        assert_eq!(bar_rects(&[1, 100_000])[0].height, 1.0);
        assert!(bar_rects(&[]).is_empty());
    }

    #[test]
    fn time_spent_reads_naturally() {
        assert_eq!(time_spent_text(0), "0 seconds");
        assert_eq!(time_spent_text(90_000), "1 minute");
        assert_eq!(time_spent_text(3_720_000), "1 hour 2 minutes");
    }
}
