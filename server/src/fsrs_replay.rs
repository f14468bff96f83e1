//! `server fsrs replay FILE`: review histories in, the scheduler's state
//! after each review out. For tests (cross-checks against other FSRS
//! implementations) and for debugging a card's schedule by hand.
//!
//! Each input line is `{"id": "h1", "reviews": [["2026-01-01T10:52:00+00:00", 3], …]}`;
//! each output line is `{"id": "h1", "states": [{"state": "learning",
//! "stability": …, "difficulty": …, "due": "…"}, …]}`.

use std::{
    io::{BufRead, Write},
    path::Path,
    process::ExitCode,
};

use anyhow::{bail, Context, Result};
use app::study::scheduler::{replay, DayClock, Phase, Rating, Scheduler, SchedulingOptions};
use serde::{Deserialize, Serialize};
use time::{format_description::well_known::Rfc3339, OffsetDateTime};

#[derive(Deserialize)]
struct History {
    id: serde_json::Value,
    reviews: Vec<(String, i64)>,
}

#[derive(Serialize)]
struct Replayed {
    id: serde_json::Value,
    states: Vec<StateAfterReview>,
}

#[derive(Serialize)]
struct StateAfterReview {
    state: Phase,
    stability: f32,
    difficulty: f32,
    due: String,
}

pub fn run(file: &Path) -> Result<ExitCode> {
    let input: Box<dyn BufRead> = if file == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let opened = std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        Box::new(std::io::BufReader::new(opened))
    };
    let scheduler = Scheduler::new(SchedulingOptions {
        fuzz: false,
        ..SchedulingOptions::default()
    })?;
    let mut output = std::io::stdout().lock();
    for (index, line) in input.lines().enumerate() {
        let line = line.context("cannot read the input")?;
        if line.trim().is_empty() {
            continue;
        }
        let replayed = replay_line(&scheduler, &line).with_context(|| format!("line {}", index + 1))?;
        serde_json::to_writer(&mut output, &replayed)?;
        writeln!(output)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn replay_line(scheduler: &Scheduler, line: &str) -> Result<Replayed> {
    let history: History = serde_json::from_str(line).context("not a history object")?;
    let mut reviews = Vec::with_capacity(history.reviews.len());
    for (at, rating) in &history.reviews {
        let at = OffsetDateTime::parse(at, &Rfc3339)
            .with_context(|| format!("{at:?} is not an RFC 3339 time"))?
            .unix_timestamp();
        let Some(rating) = Rating::from_number(*rating) else {
            bail!("the rating {rating} is not 1 (again) to 4 (easy)");
        };
        reviews.push((at, rating));
    }
    // Fuzz is off, so the card's id plays no part.
    let states = replay(scheduler, uuid::Uuid::nil(), &reviews, DayClock::UTC)?;
    let states = states
        .into_iter()
        .map(|state| {
            let memory = state.memory.context("a reviewed card has a memory state")?;
            let due = OffsetDateTime::from_unix_timestamp(state.due)?.format(&Rfc3339)?;
            Ok(StateAfterReview {
                state: state.phase,
                stability: memory.stability,
                difficulty: memory.difficulty,
                due,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Replayed {
        id: history.id,
        states,
    })
}
