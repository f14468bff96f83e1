//! Criterion benchmarks of studying: the work done on every rating (a card's
//! next states, which the browser computes before showing the next card),
//! rebuilding a card from its log (done by the server for every review it
//! stores), and ordering a day's queue. `make bench` runs them, and
//! `scripts/bench-figures` writes their figures into the README.

use std::hint::black_box;

use app::study::{
    scheduler::{replay, CardState, DayClock, Memory, Phase, Rating, Scheduler, SchedulingOptions},
    study_order, StudyCard,
};
use criterion::{criterion_group, criterion_main, Criterion};
use uuid::Uuid;

const NOW: i64 = 1_767_261_600; // 2026-01-01 10:00 UTC
const DAY: i64 = 86_400;

fn review_card() -> CardState {
    CardState {
        phase: Phase::Review,
        step: 0,
        memory: Some(Memory {
            stability: 12.3,
            difficulty: 5.4,
        }),
        due: NOW,
        last_review: Some(NOW - 12 * DAY),
        scheduled_days: 12,
        reps: 6,
        lapses: 1,
    }
}

fn next_state(c: &mut Criterion) {
    let scheduler = Scheduler::new(SchedulingOptions::default()).unwrap();
    let card = review_card();
    let id = Uuid::from_u128(7);
    let mut group = c.benchmark_group("scheduler");
    group.bench_function("next states of a review card (all four buttons)", |b| {
        b.iter(|| scheduler.preview(black_box(&card), id, NOW, DayClock::UTC))
    });
    group.bench_function("answer a new card", |b| {
        b.iter(|| {
            scheduler.answer(
                black_box(&CardState::new_card(NOW)),
                id,
                Rating::Good,
                NOW,
                DayClock::UTC,
            )
        })
    });
    group.finish();
}

/// A year and more of one card's reviews: mostly Good, some Hard and Again,
/// a few days apart.
fn long_history(reviews: usize) -> Vec<(i64, Rating)> {
    let mut at = NOW;
    (0..reviews)
        .map(|index| {
            at += DAY * (1 + (index as i64 * 7) % 5) + 600;
            let rating = match index % 10 {
                3 => Rating::Again,
                6 => Rating::Hard,
                9 => Rating::Easy,
                _ => Rating::Good,
            };
            (at, rating)
        })
        .collect()
}

fn replays(c: &mut Criterion) {
    let scheduler = Scheduler::new(SchedulingOptions::default()).unwrap();
    let history = long_history(1_000);
    c.bench_function("replay/a 1,000-review log", |b| {
        b.iter(|| replay(&scheduler, Uuid::from_u128(7), black_box(&history), DayClock::UTC))
    });
}

fn card(number: usize, phase: Phase) -> StudyCard {
    StudyCard {
        id: Uuid::from_u128(number as u128),
        note_id: Uuid::from_u128(number as u128),
        front_html: String::new(),
        back_html: String::new(),
        type_answer: None,
        state: CardState {
            phase,
            due: NOW + (number as i64 * 37) % 3600,
            ..CardState::new_card(NOW)
        },
    }
}

fn queues(c: &mut Criterion) {
    // A 10,000-card deck on a heavy day: 200 reviews, 20 new cards and 300
    // cards in learning steps.
    let learning: Vec<StudyCard> = (0..300).map(|n| card(n, Phase::Learning)).collect();
    let reviews: Vec<StudyCard> = (300..500).map(|n| card(n, Phase::Review)).collect();
    let new: Vec<StudyCard> = (500..520).map(|n| card(n, Phase::New)).collect();
    c.bench_function("queue/order a day of a 10,000-card deck", |b| {
        b.iter(|| study_order(black_box(learning.clone()), reviews.clone(), new.clone()))
    });
}

criterion_group!(benches, next_state, replays, queues);
criterion_main!(benches);
