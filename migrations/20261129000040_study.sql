-- Studying. Each learner has their own schedule for each card: a public or
-- course deck is studied by many people, so the card's own `due_at` goes.
-- A learner's state for a card is rebuilt from an append-only review log,
-- which is what lets reviews arrive twice, late or out of order (offline
-- devices) and lose nothing.

-- Public or unlisted decks a learner chose to study ("Study this deck").
-- Their own decks and their courses' decks need no row. Stopping deletes the
-- row; the reviews stay.
create table deck_studies (
    learner_id uuid not null references users (id) on delete cascade,
    deck_id uuid not null references decks (id) on delete cascade,
    started_at timestamptz not null default now(),
    primary key (learner_id, deck_id)
);

-- The decks a learner studies, written once for every query that needs it:
-- their own decks, public or unlisted decks they chose, and their courses'
-- decks, each with its subdecks. A deck made private again drops out for
-- those who chose it (their reviews stay).
create function studied_decks(learner uuid) returns table (deck_id uuid)
language sql stable as $$
    with recursive studied (id) as (
        select d.id from decks d where d.owner_id = learner
        union
        select s.deck_id from deck_studies s join decks d on d.id = s.deck_id
        where s.learner_id = learner and d.visibility <> 'private'
        union
        select ld.deck_id from enrolments e
        join lessons l on l.course_id = e.course_id
        join lesson_decks ld on ld.lesson_id = l.id
        where e.user_id = learner
        union
        select child.id from decks child join studied parent on child.parent_id = parent.id
    )
    select id from studied
$$;

-- A learner's current state for each card they have reviewed: the replay of
-- its log, kept so that queues and counts are one index range. A card with
-- no row is new to that learner.
create table card_states (
    learner_id uuid not null references users (id) on delete cascade,
    card_id uuid not null references cards (id) on delete cascade,
    phase text not null,
    step smallint not null,
    stability real not null,
    difficulty real not null,
    due_at timestamptz not null,
    last_review_at timestamptz not null,
    scheduled_days integer not null,
    reps integer not null,
    lapses integer not null,
    primary key (learner_id, card_id),
    constraint card_states_phase check (phase in ('learning', 'review', 'relearning')),
    constraint card_states_counts check (step >= 0 and scheduled_days >= 0 and reps > 0 and lapses >= 0),
    constraint card_states_memory check (stability > 0 and difficulty between 1 and 10)
);

-- Due cards of one learner, in order.
create index card_states_due_idx on card_states (learner_id, due_at);

-- The log. Rows are never updated or deleted (except with the account): an
-- undo is a row of its own that cancels a review. `id` is made by the
-- client, so a batch sent twice is stored once. `card_id` has no foreign
-- key on purpose: a deleted card leaves the learner's history behind.
create table reviews (
    id uuid primary key,
    learner_id uuid not null references users (id) on delete cascade,
    card_id uuid not null,
    -- 1 again, 2 hard, 3 good, 4 easy; null for an undo.
    rating smallint,
    -- The review an undo takes back.
    cancels uuid,
    reviewed_at timestamptz not null,
    duration_ms integer not null,
    received_at timestamptz not null default now(),
    constraint reviews_rating_or_undo check (
        (rating between 1 and 4 and cancels is null) or (rating is null and cancels is not null)
    ),
    constraint reviews_duration check (duration_ms between 0 and 86400000)
);

-- A card's history for one learner (the replay), and a learner's history
-- (statistics): each one index range.
create index reviews_card_idx on reviews (learner_id, card_id, reviewed_at);
create index reviews_learner_idx on reviews (learner_id, reviewed_at);

drop index cards_deck_due_idx;
alter table cards drop column due_at;

-- Whether a review has been taken back.
create index reviews_cancels_idx on reviews (learner_id, cancels) where cancels is not null;
