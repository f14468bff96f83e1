-- `review_replay_inputs` for several learners at once, so that submissions
-- from different learners that arrive together are written in one
-- transaction (`study::writer`). `learners` and `card_ids` are pairs: card
-- `card_ids[i]` of learner `learners[i]`. One row per learner and each such
-- card they study, or a single row with a null card for a learner with none
-- (so each learner's day is always there); no row for an unknown learner.
create function review_replay_inputs_of(learners uuid[], card_ids uuid[], as_of timestamptz)
returns table (
    learner_id uuid, utc_offset integer, day_starts_at smallint, parameters real[],
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
    select u.id, learner_utc_offset(u.time_zone, as_of), u.day_starts_at, f.parameters,
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
    -- The learner's studied decks are read once per learner (a FROM item),
    -- not once per card.
    left join lateral (
        select c.id, c.deck_id, c.created_at
        from (select array(select studied.deck_id from studied_decks(u.id) studied) as decks) mine
        cross join unnest(learners, card_ids) as asked(learner, card_id)
        join cards c on c.id = asked.card_id
        where asked.learner = u.id and c.deck_id = any(mine.decks)
    ) c on true
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
    where u.id = any(learners);
end
$$;

drop function review_replay_inputs(uuid, uuid[], timestamptz);
