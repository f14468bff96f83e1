-- How a deck is studied, set by its author for everyone who studies it. A
-- preset belongs to a top-level deck and its subdecks use it, so every card
-- of a session is scheduled by one preset, in the browser and in the
-- server's replay alike. A deck without a row uses the defaults.
create table deck_presets (
    deck_id uuid primary key references decks (id) on delete cascade,
    desired_retention real not null,
    maximum_interval_days integer not null,
    new_cards_per_day integer not null,
    reviews_per_day integer not null,
    learning_steps_seconds integer[] not null,
    relearning_steps_seconds integer[] not null,
    bury_siblings boolean not null,
    leech_threshold integer not null,
    leech_suspends boolean not null,
    updated_at timestamptz not null default now(),
    constraint deck_presets_retention check (desired_retention between 0.70 and 0.99),
    constraint deck_presets_interval check (maximum_interval_days between 1 and 36500),
    constraint deck_presets_limits check (new_cards_per_day between 0 and 9999 and reviews_per_day between 0 and 99999),
    constraint deck_presets_leech check (leech_threshold between 0 and 99)
);

-- The top-level deck above `deck` (or `deck` itself): whose preset it uses.
create function top_level_deck(deck uuid) returns uuid
language sql stable as $$
    with recursive up (id, parent_id) as (
        select id, parent_id from decks where id = deck
        union all
        select d.id, d.parent_id from decks d join up on d.id = up.parent_id
    )
    select id from up where parent_id is null
$$;

-- A card that lapsed too often for a learner (a leech): marked for them
-- alone, since one learner's trouble with a shared card is not the card's.
alter table card_flags add column leech boolean not null default false;
