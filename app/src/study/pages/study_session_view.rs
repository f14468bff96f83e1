use super::{
    card_counts::CardCounts, hold_buttons::HoldButtons, rating_forms::RatingForms, session_done::SessionDone,
    sync_status::SyncStatus, typed_answer::TypedAnswer,
};
use crate::error::AppError;
use crate::offline::{pages::KeepOffline, AppOutbox};
use crate::routes;
use crate::study::{
    api::{AnswerCard, HoldCard, UndoRating},
    outbox::Outbox,
    scheduler::Rating,
    server_clock::now_ms,
    session::{interval_label, states_agree, Next, SessionSummary, StudySession, Undoable},
    CardHold, ReviewInput, StudyCard, StudyQueue, MAX_COUNTED_ANSWER_MS,
};
use crate::ui::{ErrorNotice, PageTitle};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

/// What the page shows now.
#[derive(Clone, PartialEq)]
enum Showing {
    Card {
        card: Box<StudyCard>,
        /// What each rating would give, Again to Easy.
        waits: [String; 4],
    },
    /// Only (re)learning cards are left, the first due at this time.
    WaitUntil(i64),
    Done,
    Failed(String),
}

/// A study session. The page is first rendered at the time the server made
/// the queue, on both sides; from then on every rating is scheduled here,
/// kept in the outbox and sent in the background, and the next card shows
/// at once. Without JavaScript the same markup works through form posts,
/// one card per page.
#[component]
pub fn StudySessionView(queue: StudyQueue) -> impl IntoView {
    let session = match StudySession::new(&queue) {
        Ok(session) => session,
        Err(error) => return view! { <ErrorNotice error=AppError::internal(error) /> }.into_any(),
    };
    let StudyQueue {
        deck_id,
        ref deck_title,
        learner_id,
        generated_at,
        studied_today,
        clock,
        ..
    } = queue;
    let deck_title = deck_title.clone();
    // The queue without its cards: with the session's cards, what a copy
    // kept for offline study holds.
    let queue_frame = StoredValue::new(StudyQueue {
        cards: Vec::new(),
        ..queue
    });
    let query = use_query_map();
    let (show_query, undo_query, typed_query, held_query, hold_query) = query.with_untracked(|query| {
        (
            query.get("show"),
            query.get("undo"),
            query.get("typed"),
            query.get("held"),
            query.get("hold"),
        )
    });
    let first_card = session.next(generated_at).card_id();
    // Without JavaScript, the answer is shown by loading `?show=<card id>`,
    // a rating just posted can be undone from `?undo=<review id>`, and a
    // card just buried or suspended brought back from
    // `?held=<card id>&hold=<hold>`.
    let revealed_by_address = first_card.is_some() && show_query.and_then(|id| id.parse().ok()) == first_card;
    let posted_rating: Option<Uuid> = undo_query.and_then(|id| id.parse().ok());
    let posted_hold: Option<(Uuid, CardHold)> = held_query
        .and_then(|id| id.parse().ok())
        .zip(hold_query.and_then(|hold| hold.parse().ok()))
        .filter(|(_, hold): &(Uuid, CardHold)| hold.undone().is_some());
    // Shown the next card's answer, the page without JavaScript still offers
    // to undo what was just posted: the address carries it on.
    let still_undoable = StoredValue::new(match (posted_rating, posted_hold) {
        (Some(review_id), _) => vec![("undo", review_id.to_string())],
        (None, Some((card_id, hold))) => {
            vec![("held", card_id.to_string()), ("hold", hold.name().to_owned())]
        }
        (None, None) => vec![],
    });
    let refused_post = refused_post_notice();

    let session = RwSignal::new(session);
    let now = RwSignal::new(generated_at);
    let revealed = RwSignal::new(revealed_by_address);
    // What the learner typed for a type-the-answer card.
    let typed = RwSignal::new(if revealed_by_address {
        typed_query.unwrap_or_default()
    } else {
        String::new()
    });
    let shown_at_ms = RwSignal::new(generated_at * 1000);
    // The app's outbox for this learner (opened now if the app has not yet:
    // this page is where a browser first keeps anything), else, in the
    // offline app, one of its own.
    let outbox = use_context::<AppOutbox>()
        .map(|app_outbox| app_outbox.for_learner(learner_id))
        .unwrap_or_else(|| Outbox::open(learner_id));
    let scheduling_error = RwSignal::new(None::<String>);
    // The sync line appears once the page is live: the server cannot know
    // what this browser still holds.
    let live = RwSignal::new(false);
    Effect::new(move || live.set(true));
    Effect::new(crate::profile::api::report_browser_time_zone);

    let showing = Memo::new(move |_| {
        let now = now.get();
        if let Some(error) = scheduling_error.get() {
            return Showing::Failed(error);
        }
        session.with(|session| match session.next(now) {
            Next::Card(card) => match session.preview(card, now) {
                Ok(states) => Showing::Card {
                    card: Box::new(card.clone()),
                    waits: states.map(|state| interval_label(state.due - now)),
                },
                Err(error) => Showing::Failed(error.to_string()),
            },
            Next::WaitUntil(due) => Showing::WaitUntil(due),
            Next::Done => Showing::Done,
        })
    });
    let counts = Signal::derive(move || session.with(StudySession::counts));
    let can_undo = Signal::derive(move || session.with(StudySession::can_undo));
    let undoable = Signal::derive(move || session.with(StudySession::undoable));
    let answered = Signal::derive(move || session.with(|session| session.summary_since(i64::MIN).answers));
    // Today's answers in this deck: those before the page, and the page's
    // since the day began (a page left open past the day's start begins
    // the new day at none).
    let queue_day = clock.day_number(generated_at);
    let studied_today = Signal::derive(move || {
        let today = clock.day_number(now.get());
        let on_this_page = session.with(|session| session.summary_since(clock.day_start(today) * 1000));
        let before_this_page = if today == queue_day {
            studied_today
        } else {
            SessionSummary::default()
        };
        before_this_page.plus(on_this_page)
    });
    let snapshot = Memo::new(move |_| StudyQueue {
        cards: session.with(|session| session.remaining_cards().to_vec()),
        generated_at: now.get(),
        studied_today: studied_today.get(),
        ..queue_frame.get_value()
    });

    let show_next = move |at_ms: i64| {
        now.set(at_ms.div_euclid(1000));
        shown_at_ms.set(at_ms);
        revealed.set(false);
        typed.set(String::new());
    };
    // Ratings this browser made elsewhere that the server had not stored
    // when it made this queue (studied offline, or in a tab closed before
    // they were sent, or sent while the queue was on its way) count here at
    // once, rather than after they are sent: those cards are not shown
    // again. If that changes the card on the screen (another card, or the
    // same one in a later state), it starts unrevealed, timed from now.
    Effect::new(move |applied: Option<bool>| {
        if applied == Some(true) || !outbox.loaded.get() {
            return applied.unwrap_or(false);
        }
        let waiting = outbox.reviews_made_lately();
        let shown_before = showing.get_untracked();
        if let Err(error) = session
            .try_update(|session| session.apply_ratings_made_elsewhere(&waiting, now_ms()))
            .transpose()
        {
            scheduling_error.set(Some(error.to_string()));
        }
        if showing.get_untracked() != shown_before {
            show_next(now_ms());
        }
        true
    });
    // A rating (or an undo) is written to this browser's storage before the
    // next card shows: the session changes without telling the page, which
    // moves on once the review is kept. No key or button acts meanwhile.
    let keeping = RwSignal::new(false);
    // Whether anything was done on this page: an undo offered by the
    // address (of a plain post) is then no longer the last thing done.
    let acted_here = RwSignal::new(false);
    let keep_then_show_next = move |review: ReviewInput, at_ms: i64| {
        keeping.set(true);
        acted_here.set(true);
        leptos::task::spawn_local(async move {
            outbox.keep(review).await;
            keeping.try_set(false);
            session.notify();
            show_next(at_ms);
        });
    };
    let rate = Callback::new(move |rating: Rating| {
        // The rating is for the card on the screen, which the session is
        // told by name: the next card by the time now may be another.
        let Some(card_id) = session.with_untracked(|session| session.next(now.get_untracked()).card_id())
        else {
            return;
        };
        if !revealed.get_untracked() || keeping.get_untracked() {
            return;
        }
        let now_ms = now_ms();
        let duration = (now_ms - shown_at_ms.get_untracked()).clamp(0, i64::from(MAX_COUNTED_ANSWER_MS));
        let mut answered = Ok(None);
        session.update_untracked(|session| {
            answered = session.answer(card_id, rating, Uuid::new_v4(), now_ms, duration)
        });
        match answered {
            Ok(Some(review)) => keep_then_show_next(review, now_ms),
            Ok(None) => {
                session.notify();
                show_next(now_ms);
            }
            Err(error) => {
                scheduling_error.set(Some(error.to_string()));
                show_next(now_ms);
            }
        }
    });
    // A card buried or suspended by hand leaves the session at once; the
    // hold waits in the outbox with the ratings, so that it reaches the
    // server however long the connection is gone.
    let hold = Callback::new(move |(card_id, hold): (Uuid, CardHold)| {
        if keeping.get_untracked() {
            return;
        }
        let now_ms = now_ms();
        let mut record = None;
        session.update_untracked(|session| record = session.hold(card_id, hold, Uuid::new_v4(), now_ms));
        if let Some(record) = record {
            keep_then_show_next(record, now_ms);
        }
    });
    let undo = move || {
        if keeping.get_untracked() {
            return;
        }
        let now_ms = now_ms();
        let mut undone = None;
        session.update_untracked(|session| undone = session.undo(Uuid::new_v4(), now_ms));
        if let Some(undo) = undone {
            keep_then_show_next(undo, now_ms);
        }
    };

    // Every state the server confirms is checked against the one computed
    // here: the browser's WebAssembly scheduler and the server's native one
    // must agree (the counts are on the sync line, for tests and support).
    let checked = RwSignal::new((0usize, 0usize));
    Effect::new(move || {
        let Some((records, states)) = outbox.confirmed.get() else {
            return;
        };
        let (mut compared, mut disagreed) = (0, 0);
        session.with_untracked(|session| {
            for after in &states {
                let expected = records
                    .iter()
                    .find_map(|record| session.expected_state(after.card_id, *record));
                if let Some(expected) = expected {
                    compared += 1;
                    if !states_agree(expected, after.state.as_ref()) {
                        disagreed += 1;
                        // Expected when the card was also studied on another
                        // device or tab: the server's replay of both wins.
                        leptos::logging::warn!(
                            "card {}: the server's schedule replaced this browser's (studied elsewhere too?)",
                            after.card_id
                        );
                    }
                }
            }
        });
        checked.update(|(total, mismatches)| {
            *total += compared;
            *mismatches += disagreed;
        });
    });

    // Learning cards come due while the learner waits: look again then.
    #[cfg(feature = "hydrate")]
    Effect::new(move || {
        if let Showing::WaitUntil(due) = showing.get() {
            let wait_ms = (due * 1000 - now_ms()).clamp(0, 24 * 3_600_000) as u64;
            set_timeout(
                move || _ = now.try_set(now_ms().div_euclid(1000)),
                std::time::Duration::from_millis(wait_ms + 50),
            );
        }
    });
    // The card takes the focus when the control that had it went with the
    // side it belonged to (Show answer, a rating button): focus would
    // otherwise fall back to the page, where a screen reader starts again
    // from the top and Tab from the nav. Not on the page's first card, nor
    // when focus is elsewhere (the answer box, a link the learner tabbed to).
    let card_box = NodeRef::<leptos::html::Article>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |first_run: Option<()>| {
        revealed.track();
        let Some(card) = card_box.get() else { return };
        let focus_dropped = document()
            .active_element()
            .is_none_or(|element| element.tag_name() == "BODY");
        if first_run.is_some() && focus_dropped {
            let _ = card.focus();
        }
    });
    #[cfg(feature = "hydrate")]
    {
        let keys = window_event_listener(leptos::ev::keydown, move |event| {
            if event.default_prevented() || event.alt_key() {
                return;
            }
            let key = event.key();
            // Enter on a focused link or button, and Space on a focused
            // button, do what that control does (a rating button rates with
            // its own rating, a link in the nav opens its page).
            if (key == "Enter" || key == " ") && activates_focused_control(&event, &key) {
                return;
            }
            if is_typing_target(&event) {
                // In the answer box every other key is typing, and Ctrl+Z
                // takes typing back; once the box is empty there is none
                // left, and Ctrl+Z takes back the last rating instead.
                let undoing_rating = (event.ctrl_key() || event.meta_key())
                    && key == "z"
                    && typed.with_untracked(String::is_empty)
                    && can_undo.get_untracked();
                if undoing_rating {
                    undo();
                    event.prevent_default();
                }
                return;
            }
            let handled = if event.ctrl_key() || event.meta_key() {
                if key == "z" && can_undo.get_untracked() {
                    undo();
                    true
                } else {
                    false
                }
            } else {
                match key.as_str() {
                    " " | "Enter" if !revealed.get_untracked() => {
                        if matches!(showing.get_untracked(), Showing::Card { .. }) {
                            revealed.set(true);
                        }
                        true
                    }
                    // Once the answer shows, Space and Enter mean Good (as in Anki).
                    " " | "Enter" => {
                        rate.run(Rating::Good);
                        true
                    }
                    "1" | "2" | "3" | "4" => {
                        if let Some(rating) = key.parse().ok().and_then(Rating::from_number) {
                            rate.run(rating);
                        }
                        true
                    }
                    "u" | "U" if can_undo.get_untracked() => {
                        undo();
                        true
                    }
                    // Anki's keys: "-" buries, "@" suspends.
                    "-" | "@" => {
                        if let Showing::Card { card, .. } = showing.get_untracked() {
                            hold.run((
                                card.id,
                                if key == "-" {
                                    CardHold::Bury
                                } else {
                                    CardHold::Suspend
                                },
                            ));
                        }
                        true
                    }
                    _ => false,
                }
            };
            if handled {
                event.prevent_default();
            }
        });
        on_cleanup(move || keys.remove());
    }

    // The day's progress, so that it reads the same with and without
    // JavaScript (where each card is a page of its own).
    let progress = move || {
        let done = studied_today.get().answers;
        let total = done + counts.get().total();
        (done * 100).checked_div(total).unwrap_or(100)
    };
    // Undo takes back the last thing done: on this page, in the page's
    // session (the form is not posted); without JavaScript, the rating or
    // hold just posted, which the address names.
    let undo_button = move || {
        let posted = !acted_here.get();
        let (action, undoable, fields) = match (
            undoable.get(),
            posted.then_some(posted_rating).flatten(),
            posted.then_some(posted_hold).flatten(),
        ) {
            (Some(undoable), _, _) => (UndoRating::PATH, undoable, vec![]),
            (None, Some(review_id), _) => (
                UndoRating::PATH,
                Undoable::Rating,
                vec![("review_id", review_id.to_string())],
            ),
            (None, None, Some((card_id, hold))) => (
                HoldCard::PATH,
                Undoable::Hold(hold),
                vec![
                    ("card_id", card_id.to_string()),
                    (
                        "hold",
                        hold.undone().map(CardHold::name).unwrap_or_default().to_owned(),
                    ),
                ],
            ),
            (None, None, None) => return None,
        };
        let label = match undoable {
            Undoable::Rating => "Undo last rating",
            Undoable::Hold(CardHold::Bury) => "Undo bury",
            Undoable::Hold(_) => "Undo suspend",
        };
        Some(view! {
            <form
                method="post"
                action=action
                on:submit=move |event| {
                    if can_undo.get_untracked() {
                        event.prevent_default();
                        undo();
                    }
                }
            >
                <input type="hidden" name="deck_id" value=deck_id.to_string() />
                <input type="hidden" name="made_by" value=learner_id.to_string() />
                {fields
                    .into_iter()
                    .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                    .collect_view()}
                <button
                    type="submit"
                    class="text-link text-sm"
                    aria-keyshortcuts="u Control+z"
                    data-testid="undo"
                >
                    {label}
                </button>
            </form>
        })
    };

    view! {
        <PageTitle text=format!("Study {} · Engram", deck_title) />
        <div class="mx-auto max-w-2xl" data-testid="study-session">
            <header class="mb-4">
                <nav aria-label="Breadcrumb" class="mb-2 text-sm">
                    <a href=routes::deck(deck_id) class="text-link">
                        {format!("← {}", deck_title)}
                    </a>
                </nav>
                <div class="flex flex-wrap items-center justify-between gap-2">
                    <h1 class="text-xl font-bold tracking-tight sm:text-2xl">
                        "Studying " <span class="user-text">{deck_title}</span>
                    </h1>
                    <CardCounts counts />
                </div>
                // A native bar: the page's CSP (`style-src 'self'`) refuses
                // inline widths, and `value` draws the fill without one.
                <progress
                    class="progress-bar mt-3"
                    max="100"
                    value=move || progress().to_string()
                    aria-label="Today's progress in this deck"
                >
                    {move || format!("{}%", progress())}
                </progress>
            </header>
            {move || {
                (answered.get() == 0)
                    .then(|| refused_post.clone())
                    .flatten()
                    .map(|notice| {
                        view! {
                            <p class="mb-4 alert-error text-sm" role="alert" data-testid="refused-post">
                                {notice}
                            </p>
                        }
                    })
            }}
            {move || match showing.get() {
                Showing::Card { card, waits } => {
                    let card_id = card.id;
                    let type_answer = card.type_answer.clone();
                    let types_answer = type_answer.is_some();
                    view! {
                        <article
                            class="study-card card-scroller panel min-h-48 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                            data-testid="study-card"
                            tabindex="0"
                            node_ref=card_box
                            data-card-id=card_id.to_string()
                        >
                            {move || {
                                if revealed.get() {
                                    view! {
                                        <div
                                            class="card-content"
                                            data-side="back"
                                            inner_html=card.back_html.clone()
                                        ></div>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <div
                                            class="card-content"
                                            data-side="front"
                                            inner_html=card.front_html.clone()
                                        ></div>
                                    }
                                        .into_any()
                                }
                            }}
                        </article>
                        {move || {
                            revealed
                                .get()
                                .then(|| type_answer.clone())
                                .flatten()
                                .map(|expected| {
                                    view! { <TypedAnswer expected typed=typed.get_untracked() /> }
                                })
                        }}
                        <div class="mt-4">
                            {move || {
                                if revealed.get() {
                                    view! {
                                        <RatingForms
                                            deck_id
                                            card_id
                                            learner_id
                                            waits=waits.clone()
                                            shown_at_ms=shown_at_ms.get_untracked()
                                            on_rate=rate
                                        />
                                    }
                                        .into_any()
                                } else if types_answer {
                                    let input = NodeRef::<leptos::html::Input>::new();
                                    #[cfg(feature = "hydrate")]
                                    Effect::new(move || {
                                        if let Some(input) = input.get() {
                                            let _ = input.focus();
                                        }
                                    });
                                    // Typed into a form that, without JavaScript, loads
                                    // the answer with what was typed.
                                    // Each new card's box takes the keyboard at once.
                                    view! {
                                        <form
                                            method="get"
                                            action=routes::study(deck_id)
                                            class="flex flex-col gap-3"
                                            on:submit=move |event| {
                                                event.prevent_default();
                                                revealed.set(true);
                                            }
                                        >
                                            <input type="hidden" name="show" value=card_id.to_string() />
                                            {still_undoable
                                                .get_value()
                                                .into_iter()
                                                .map(|(name, value)| {
                                                    view! { <input type="hidden" name=name value=value /> }
                                                })
                                                .collect_view()}
                                            <label for="typed-answer" class="field-label">
                                                "Type the answer"
                                            </label>
                                            <input
                                                id="typed-answer"
                                                name="typed"
                                                class="field-input font-mono text-lg"
                                                autocomplete="off"
                                                autocapitalize="off"
                                                spellcheck="false"
                                                autofocus=true
                                                maxlength="500"
                                                data-testid="typed-answer-input"
                                                node_ref=input
                                                on:input=move |event| typed.set(event_target_value(&event))
                                            />
                                            <button
                                                type="submit"
                                                class="button-primary w-full py-3"
                                                data-testid="show-answer"
                                            >
                                                "Show answer"
                                            </button>
                                        </form>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <a
                                            href=still_undoable
                                                .with_value(|carried| {
                                                    let carried: Vec<(&str, &str)> = carried
                                                        .iter()
                                                        .map(|(name, value)| (*name, value.as_str()))
                                                        .collect();
                                                    routes::study_answer_shown(deck_id, card_id, &carried)
                                                })
                                            class="button-primary block w-full py-3 text-center"
                                            data-testid="show-answer"
                                            aria-keyshortcuts="Space Enter"
                                            on:click=move |event| {
                                                event.prevent_default();
                                                revealed.set(true);
                                            }
                                        >
                                            "Show answer"
                                        </a>
                                    }
                                        .into_any()
                                }
                            }}
                        </div>
                    }
                        .into_any()
                }
                Showing::WaitUntil(due) => {
                    let minutes = ((due - now.get_untracked()) + 59) / 60;
                    view! {
                        <section class="panel text-center" data-testid="session-waiting">
                            <h2 class="text-lg font-semibold">"Learning cards are due soon"</h2>
                            <p class="mt-2 text-slate-600 dark:text-slate-400">
                                {format!(
                                    "The next card is due in {}. It will appear here by itself.",
                                    crate::ui::plural(minutes, "minute", "minutes"),
                                )}
                            </p>
                            <p class="mt-4">
                                <a href=routes::study(deck_id) class="text-link">
                                    "Check again"
                                </a>
                            </p>
                        </section>
                    }
                        .into_any()
                }
                Showing::Done => {
                    view! { <SessionDone deck_id summary=studied_today.get_untracked() /> }.into_any()
                }
                Showing::Failed(error) => {
                    view! {
                        <p class="panel text-red-700 dark:text-red-300" role="alert">
                            {format!("This card could not be scheduled: {error}")}
                        </p>
                    }
                        .into_any()
                }
            }}
            <footer class="mt-4 flex flex-wrap items-center justify-between gap-3">
                {undo_button}
                {move || match showing.get() {
                    Showing::Card { card, .. } => {
                        let card_id = card.id;
                        Some(
                            view! {
                                <HoldButtons
                                    deck_id
                                    card_id
                                    learner_id
                                    on_hold=Callback::new(move |kind| hold.run((card_id, kind)))
                                />
                            },
                        )
                    }
                    _ => None,
                }} {move || live.get().then(|| view! { <SyncStatus outbox checked /> })}
            </footer>
            {move || live.get().then(|| view! { <KeepOffline snapshot /> })}
            // The keys while there is a card to answer (once the page runs
            // its code: without it, keys do nothing); in the answer box
            // `U` is typing, and Ctrl+Z still takes back the last rating.
            {move || {
                showing
                    .with(|showing| matches!(showing, Showing::Card { .. }))
                    .then(|| {
                        view! {
                            <p
                                class="js-only mt-6 hidden text-xs text-slate-500 sm:block dark:text-slate-400"
                                data-testid="shortcuts"
                            >
                                // What Space does now: show the answer, and
                                // once it shows, rate Good (as in Anki).
                                <kbd>"Space"</kbd>
                                {move || if revealed.get() { " Good · " } else { " show answer · " }}
                                <kbd>"1"</kbd>
                                "–"
                                <kbd>"4"</kbd>
                                " rate · "
                                <kbd>"U"</kbd>
                                " or "
                                <kbd>"Ctrl+Z"</kbd>
                                " undo · "
                                <kbd>"-"</kbd>
                                " bury · "
                                <kbd>"@"</kbd>
                                " suspend"
                            </p>
                        }
                    })
            }}
        </div>
    }
    .into_any()
}

/// What a form of this page that was posted without JavaScript and refused
/// says above the card: what was not done, and why. (The hydrated page
/// sends the same records through the outbox, which says so on its line.)
fn refused_post_notice() -> Option<String> {
    let (path, error) = crate::ui::error_posted_to(&[AnswerCard::PATH, UndoRating::PATH, HoldCard::PATH])?;
    let not_done = match path {
        AnswerCard::PATH => "Your answer was not saved.",
        UndoRating::PATH => "The rating was not taken back.",
        _ => "The card was not set aside.",
    };
    let why = match error {
        AppError::NotFound => "That card or rating is no longer there.".to_owned(),
        // The form named the learner the page was written for.
        AppError::Forbidden => {
            "Another account signed in on this browser after this page was opened. Study on from the page below."
                .to_owned()
        }
        // Hidden fields only: the page did not send this form as it is.
        AppError::Validation(_) | AppError::BadRequest(_) => {
            "The form sent was not one this page offers; answer the card below.".to_owned()
        }
        other => other.sentence(),
    };
    Some(format!("{not_done} {why}"))
}

/// Whether `key` (Enter or Space) activates the control that has focus:
/// Enter a link, a button or a `<summary>`, Space a button or a `<summary>`.
#[cfg(feature = "hydrate")]
fn activates_focused_control(event: &web_sys::KeyboardEvent, key: &str) -> bool {
    use wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| match element.tag_name().as_str() {
            "BUTTON" | "SUMMARY" => true,
            "A" => key == "Enter" && element.has_attribute("href"),
            _ => false,
        })
}

/// Whether a key press is typing into a field, which keeps its keys.
#[cfg(feature = "hydrate")]
fn is_typing_target(event: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element.has_attribute("contenteditable")
        })
}
