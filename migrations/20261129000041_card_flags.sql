-- A learner's own hold on a card, apart from its schedule: suspended until
-- they take it back, or buried until their next day. Kept apart from
-- `card_states` because a new card can be suspended too, and because the
-- schedule is rebuilt from the review log while these are not reviews.
create table card_flags (
    learner_id uuid not null references users (id) on delete cascade,
    card_id uuid not null references cards (id) on delete cascade,
    suspended boolean not null default false,
    buried_until timestamptz,
    primary key (learner_id, card_id)
);
