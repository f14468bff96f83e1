//! `server seed-large`: a catalogue big enough to measure search and page
//! rendering on, made with set-based SQL so it takes minutes, not hours.
//!
//! It creates a teacher, `bench-teacher@engram.test`, who owns 1,000 public
//! decks holding 1,000,000 Basic cards between them. One of the decks,
//! "Benchmark deck: 100 cards", has exactly 100 cards for the deck-page
//! benchmark. Titles, descriptions, tags and card text are drawn from word
//! lists in five languages, so full-text and trigram search have realistic
//! work to do. Running it again changes nothing.
//!
//! It also creates a learner, `bench-learner@engram.test`, who chose five of
//! those decks to study (5,000 cards), for the dashboard of someone studying
//! big decks; the demo learner's dashboard holds one small deck. And a
//! learner some months in, `bench-veteran@engram.test`, who studies the same
//! decks and has met 900 cards of each (three answers each, the last twenty
//! days ago, so that none is due for months): what the study queue and the
//! dashboard cost once a learner has come a long way through a deck.

use std::time::Instant;

use anyhow::{Context, Result};
use app::auth::{db as accounts, password, DisplayName, Email, Password, Role};
use sqlx::PgPool;
use uuid::Uuid;

pub const BENCH_TEACHER_EMAIL: &str = "bench-teacher@engram.test";
pub const BENCH_DECK_TITLE: &str = "Benchmark deck: 100 cards";
pub const BENCH_LEARNER_EMAIL: &str = "bench-learner@engram.test";
pub const BENCH_LEARNER_PASSWORD: &str = "engram-bench-learner";
/// How many of the 1,000-card decks the bench learner studies.
const BENCH_LEARNER_DECKS: i64 = 5;
pub const BENCH_VETERAN_EMAIL: &str = "bench-veteran@engram.test";
pub const BENCH_VETERAN_PASSWORD: &str = "engram-bench-veteran";
/// How many cards of each of those decks the veteran has met.
const BENCH_VETERAN_CARDS_MET: i64 = 900;
const DECKS: i64 = 1_000;
const CARDS: i64 = 1_000_000;
/// Decks are filled this many at a time, so progress can be reported and
/// each statement's search refresh stays a manageable size.
const DECKS_PER_BATCH: i64 = 50;

/// Creates the large catalogue unless it exists. Returns whether it did.
pub async fn seed_large(pool: &PgPool) -> Result<bool> {
    let exists: bool = sqlx::query_scalar("select exists (select 1 from users where email = $1)")
        .bind(BENCH_TEACHER_EMAIL)
        .fetch_one(pool)
        .await?;
    if exists {
        eprintln!("the large data set is already there ({BENCH_TEACHER_EMAIL} exists)");
        // Data sets made before the bench learners existed get them.
        ensure_bench_learner(pool).await?;
        ensure_bench_veteran(pool).await?;
        return Ok(false);
    }
    let started = Instant::now();
    let email = Email::parse(BENCH_TEACHER_EMAIL).map_err(anyhow::Error::msg)?;
    let name = DisplayName::parse("Bench Teacher").map_err(anyhow::Error::msg)?;
    let password = Password::parse("engram-bench-teacher").map_err(anyhow::Error::msg)?;
    let hash = password::hash_password(&password).await?;
    let teacher = accounts::upsert_account_with_role(pool, &email, &name, &hash, Role::Teacher).await?;

    let decks = create_decks(pool, teacher.id).await?;
    eprintln!("decks {}/{DECKS}", decks.len());
    let mut cards_done: i64 = 0;
    for batch in decks.chunks(DECKS_PER_BATCH as usize) {
        cards_done += fill_decks(pool, batch).await?;
        eprintln!("cards {cards_done}/{CARDS}");
    }
    // Vacuumed as well as analysed, so that autovacuum does not start on the
    // new rows in the middle of a benchmark.
    ensure_bench_learner(pool).await?;
    ensure_bench_veteran(pool).await?;
    sqlx::query("vacuum analyze").execute(pool).await?;
    eprintln!(
        "done: {DECKS} decks and {cards_done} cards in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(true)
}

/// The bench learner, studying the first five of the bench teacher's decks
/// after the benchmark deck (1,000 cards each). Changes nothing when there.
async fn ensure_bench_learner(pool: &PgPool) -> Result<()> {
    let email = Email::parse(BENCH_LEARNER_EMAIL).map_err(anyhow::Error::msg)?;
    let exists: bool = sqlx::query_scalar("select exists (select 1 from users where email = $1)")
        .bind(BENCH_LEARNER_EMAIL)
        .fetch_one(pool)
        .await?;
    if !exists {
        let name = DisplayName::parse("Bench Learner").map_err(anyhow::Error::msg)?;
        let password = Password::parse(BENCH_LEARNER_PASSWORD).map_err(anyhow::Error::msg)?;
        let hash = password::hash_password(&password).await?;
        accounts::upsert_account_with_role(pool, &email, &name, &hash, Role::Learner).await?;
    }
    sqlx::query(
        r#"
        insert into deck_studies (learner_id, deck_id)
        select (select id from users where email = $1), d.id
        from decks d join users teacher on teacher.id = d.owner_id
        where teacher.email = $2 and d.title <> $3
        order by d.created_at, d.id
        limit $4
        on conflict do nothing
        "#,
    )
    .bind(BENCH_LEARNER_EMAIL)
    .bind(BENCH_TEACHER_EMAIL)
    .bind(BENCH_DECK_TITLE)
    .bind(BENCH_LEARNER_DECKS)
    .execute(pool)
    .await
    .context("the bench learner's decks")?;
    Ok(())
}

/// The veteran: studies the bench learner's five decks and has met the
/// first 900 cards of each, in study order, answering each Easy 60, 50 and
/// 20 days ago. The answers go through `record_submissions`, as the app's
/// do, so the schedule is the replay of a real log. Changes nothing when
/// the veteran has met their cards already.
async fn ensure_bench_veteran(pool: &PgPool) -> Result<()> {
    use app::study::{
        db::{record_submissions, Submission},
        scheduler::Rating,
        ReviewKind, ValidReview,
    };
    const DAY: i64 = 86_400;

    let email = Email::parse(BENCH_VETERAN_EMAIL).map_err(anyhow::Error::msg)?;
    let veteran: Option<Uuid> = sqlx::query_scalar("select id from users where email = $1")
        .bind(BENCH_VETERAN_EMAIL)
        .fetch_optional(pool)
        .await?;
    let veteran = match veteran {
        Some(id) => id,
        None => {
            let name = DisplayName::parse("Bench Veteran").map_err(anyhow::Error::msg)?;
            let password = Password::parse(BENCH_VETERAN_PASSWORD).map_err(anyhow::Error::msg)?;
            let hash = password::hash_password(&password).await?;
            accounts::upsert_account_with_role(pool, &email, &name, &hash, Role::Learner)
                .await?
                .id
        }
    };
    let has_met_cards: bool =
        sqlx::query_scalar("select exists (select 1 from card_states where learner_id = $1)")
            .bind(veteran)
            .fetch_one(pool)
            .await?;
    if has_met_cards {
        return Ok(());
    }
    sqlx::query(
        "insert into deck_studies (learner_id, deck_id)
         select $1, s.deck_id from deck_studies s join users u on u.id = s.learner_id where u.email = $2
         on conflict do nothing",
    )
    .bind(veteran)
    .bind(BENCH_LEARNER_EMAIL)
    .execute(pool)
    .await
    .context("the bench veteran's decks")?;
    let decks: Vec<Uuid> =
        sqlx::query_scalar("select deck_id from deck_studies where learner_id = $1 order by deck_id")
            .bind(veteran)
            .fetch_all(pool)
            .await?;
    // The cards were written a few seconds ago; a review cannot be older
    // than its card, so they are dated back to before the first answers.
    let cards: Vec<Uuid> = sqlx::query_scalar(
        "with dated as (
             update cards set created_at = created_at - interval '90 days'
             where deck_id = any($1) and created_at > now() - interval '90 days'
         )
         select met.id from unnest($1::uuid[]) as deck(id)
         cross join lateral (
             select c.id from cards c where c.deck_id = deck.id
             order by c.created_at, c.ordinal, c.id limit $2
         ) met",
    )
    .bind(&decks)
    .bind(BENCH_VETERAN_CARDS_MET)
    .fetch_all(pool)
    .await
    .context("dating the bench decks' cards")?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    for chunk in cards.chunks(150) {
        let reviews = chunk
            .iter()
            .flat_map(|&card_id| {
                [60, 50, 20].map(|days_ago| ValidReview {
                    id: Uuid::new_v4(),
                    card_id,
                    kind: ReviewKind::Rated(Rating::Easy),
                    reviewed_at: now - days_ago * DAY,
                    duration_ms: 4_000,
                })
            })
            .collect();
        record_submissions(
            pool,
            &[Submission {
                learner_id: veteran,
                reviews,
            }],
            now,
        )
        .await
        .map_err(|error| anyhow::anyhow!("the bench veteran's reviews: {error:?}"))?;
    }
    eprintln!(
        "bench veteran: {} cards met in {} decks",
        cards.len(),
        decks.len()
    );
    Ok(())
}

/// Inserts the decks and returns each id with the deck's number; number 1
/// is the benchmark deck.
async fn create_decks(pool: &PgPool, owner_id: Uuid) -> Result<Vec<(Uuid, i32)>> {
    let mut decks: Vec<(Uuid, i32)> = sqlx::query_as(
        r#"
        with words as (
            select array['Spanish', 'French', 'German', 'Italian', 'Portuguese', 'Japanese',
                         'Biology', 'Chemistry', 'Physics', 'History', 'Geography', 'Anatomy',
                         'Algebra', 'Statistics', 'Rust', 'Python', 'Music theory', 'Art history'] as subjects,
                   array['basics', 'verbs', 'vocabulary', 'phrases', 'grammar', 'essentials',
                         'exam revision', 'flashcards', 'key terms', 'definitions', 'formulas',
                         'for travellers', 'in context', 'advanced'] as topics,
                   array['es', 'fr', 'de', 'it', 'pt', 'ja', 'en'] as languages
        ),
        numbered as (
            select gen_random_uuid() as id, n from generate_series(1, $3::int) as n
        ),
        inserted as (
            insert into decks (id, owner_id, title, description, language, visibility, created_at)
            select id, $1,
                   case when n = 1 then $2
                        else subjects[1 + n % array_length(subjects, 1)] || ' '
                             || topics[1 + (n / 7) % array_length(topics, 1)] || ' ' || n end,
                   case when n = 1 then 'One hundred cards, for measuring how fast a deck page renders.'
                        else 'Cards on ' || lower(subjects[1 + n % array_length(subjects, 1)]) || ' '
                             || topics[1 + (n / 3) % array_length(topics, 1)]
                             || ', from first steps to confident recall.' end,
                   languages[1 + n % array_length(languages, 1)],
                   'public',
                   now() - make_interval(mins => n)
            from numbered, words
            returning id
        )
        select numbered.id, numbered.n from numbered join inserted using (id)
        "#,
    )
    .bind(owner_id)
    .bind(BENCH_DECK_TITLE)
    .bind(DECKS as i32)
    .fetch_all(pool)
    .await
    .context("creating the decks")?;
    decks.sort_by_key(|(_, number)| *number);
    Ok(decks)
}

/// How many notes (each one card) deck number `number` gets: 100 for the
/// benchmark deck, and 1,000 or 1,001 for the others so that the total is
/// exactly [`CARDS`].
fn notes_in_deck(number: i32) -> i32 {
    let others = DECKS - 1;
    let base = (CARDS - 100) / others;
    let with_one_more = (CARDS - 100) % others;
    match i64::from(number) {
        1 => 100,
        n if n - 1 <= with_one_more => (base + 1) as i32,
        _ => base as i32,
    }
}

/// Writes the notes and cards of `decks`, one Basic card per note.
async fn fill_decks(pool: &PgPool, decks: &[(Uuid, i32)]) -> Result<i64> {
    let ids: Vec<Uuid> = decks.iter().map(|(id, _)| *id).collect();
    let numbers: Vec<i32> = decks.iter().map(|(_, number)| *number).collect();
    let counts: Vec<i32> = numbers.iter().map(|number| notes_in_deck(*number)).collect();
    let mut tx = pool.begin().await?;
    let inserted: i64 = sqlx::query_scalar(
        r#"
        with words as (
            select array['casa', 'perro', 'gato', 'agua', 'libro', 'mesa', 'ciudad', 'tiempo', 'amigo',
                         'maison', 'chien', 'chat', 'eau', 'livre', 'Haus', 'Hund', 'Katze', 'Wasser',
                         'Buch', 'acqua', 'amico', 'mitochondria', 'photosynthesis', 'enzyme',
                         'molecule', 'electron', 'velocity', 'momentum', 'treaty', 'empire', 'revolution',
                         'integral', 'derivative', 'variance', 'ownership', 'borrowing', 'lifetime',
                         'iterator', 'closure', 'harmony', 'cadence', 'fresco', 'baroque'] as fronts,
                   array['house', 'dog', 'cat', 'water', 'book', 'table', 'city', 'time', 'friend',
                         'the powerhouse of the cell', 'how plants turn light into sugar',
                         'a protein that speeds up a reaction', 'atoms bonded together',
                         'a negatively charged particle', 'speed in a direction', 'mass times velocity',
                         'an agreement between states', 'lands ruled by one power', 'a sudden change of rule',
                         'the area under a curve', 'the rate of change', 'the spread of a distribution',
                         'each value has one owner', 'a reference that does not own',
                         'how long a reference is valid', 'yields items one at a time',
                         'a function that captures its scope', 'notes sounding together',
                         'a progression closing a phrase', 'painting on wet plaster',
                         'a richly ornamented style'] as backs,
                   array['a1', 'a2', 'b1', 'b2', 'nouns', 'verbs', 'science', 'history', 'maths',
                         'programming', 'music', 'art', 'exam'] as tags
        ),
        made as (
            insert into notes (deck_id, note_type_id, fields, tags, card_count, first_front_html)
            select batch.deck_id, basic.id, front.fields,
                   array[tags[1 + batch.number % array_length(tags, 1)],
                         tags[1 + (i + batch.number + 1) % array_length(tags, 1)]],
                   1, '<p>' || front.fields[1] || '</p>'
            from unnest($1::uuid[], $2::int[], $3::int[]) as batch(deck_id, number, note_count)
            cross join words
            cross join (select id from note_types where builtin = 'basic') as basic
            cross join lateral generate_series(1, batch.note_count) as i
            cross join lateral (
                select array[fronts[1 + (i * 7 + batch.number) % array_length(fronts, 1)] || ' ' || i,
                             backs[1 + (i * 11 + batch.number) % array_length(backs, 1)]] as fields
            ) as front
            returning id, deck_id, fields
        ),
        carded as (
            insert into cards (deck_id, note_id, ordinal, front_html, back_html)
            select deck_id, id, 0,
                   '<p>' || fields[1] || '</p>',
                   '<p>' || fields[1] || '</p><hr><p>' || fields[2] || '</p>'
            from made
            returning 1
        )
        select count(*) from carded
        "#,
    )
    .bind(&ids)
    .bind(&numbers)
    .bind(&counts)
    .fetch_one(&mut *tx)
    .await
    .context("writing notes and cards")?;
    tx.commit().await?;
    Ok(inserted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decks_hold_exactly_a_million_cards() {
        let total: i64 = (1..=DECKS as i32)
            .map(|number| i64::from(notes_in_deck(number)))
            .sum();
        assert_eq!(total, CARDS);
        assert_eq!(notes_in_deck(1), 100);
    }
}
