-- All that replaying a batch of one learner's reviews needs, in one call:
-- the learner's day (their zone's offset at `as_of`, and the hour days begin),
-- their own FSRS parameters, and for each of `card_ids` they study, when it
-- was made, the preset it follows, its lapses so far and its standing log.
-- One row per such card, or a single row with a null card when there is
-- none (so the learner's day is always there); no row for an unknown
-- learner.
--
-- PL/pgSQL with a generic plan, like the other study functions: as a
-- statement sent by the server it was planned again on every review
-- submission, for longer than it ran. Its plan is keyed by one learner and
-- a short list of cards, so one plan serves every call.
create function review_replay_inputs(learner uuid, card_ids uuid[], as_of timestamptz)
returns table (
    utc_offset integer, day_starts_at smallint, parameters real[],
    card_id uuid, created bigint,
    preset_deck uuid, desired_retention real, maximum_interval_days integer,
    new_cards_per_day integer, reviews_per_day integer,
    learning_steps_seconds integer[], relearning_steps_seconds integer[],
    bury_siblings boolean, leech_threshold integer, leech_suspends boolean,
    lapses integer, reviewed_at bigint[], ratings smallint[]
)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
    return query
    select learner_utc_offset(u.time_zone, as_of), u.day_starts_at, f.parameters,
           c.id, extract(epoch from c.created_at)::bigint,
           p.deck_id, p.desired_retention, p.maximum_interval_days,
           p.new_cards_per_day, p.reviews_per_day,
           p.learning_steps_seconds, p.relearning_steps_seconds,
           p.bury_siblings, p.leech_threshold, p.leech_suspends,
           coalesce(s.lapses, 0),
           coalesce(h.reviewed_at, '{}'),
           coalesce(h.ratings, '{}')
    from users u
    left join fsrs_parameters f on f.learner_id = u.id
    left join cards c
        on c.id = any(card_ids) and c.deck_id in (select studied.deck_id from studied_decks(learner) studied)
    left join deck_presets p on p.deck_id = top_level_deck(c.deck_id)
    left join card_states s on s.learner_id = u.id and s.card_id = c.id
    left join lateral (
        select array_agg(extract(epoch from r.reviewed_at)::bigint order by r.reviewed_at, r.id)
                   as reviewed_at,
               array_agg(r.rating order by r.reviewed_at, r.id) as ratings
        from reviews r
        where r.learner_id = u.id and r.card_id = c.id and r.rating is not null
          and not exists (select 1 from reviews undo where undo.learner_id = u.id and undo.cancels = r.id)
    ) h on true
    where u.id = learner;
end
$$;
