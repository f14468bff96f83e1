-- A review is stored for any card the learner may see, not only for one in
-- a deck they study now. A learner rates cards offline on one device and
-- presses "Stop studying" on another, or leaves the course, or a teacher
-- takes the deck out of a lesson: the reviews still waiting on the first
-- device were answered 404 and let go there, lost for good, although
-- stopping keeps one's history and the deck was still shared with them.
--
-- "May see" is: their own deck, a deck that is not private (public, or
-- unlisted and reached by its link: a card's id is no easier to guess), or a
-- deck of a lesson in a course they are enrolled in, each at any level above
-- the card's deck, as studying a deck includes its subdecks. A deck made
-- private by its owner is not shared any more, and its reviews are still
-- refused. The queue, statistics and holds keep to the decks studied now
-- (`studied_decks`): a review stored here is history, used again if the
-- learner starts studying the deck again.
--
-- Otherwise as in `..._replay_from_the_stored_state.sql`.
create or replace function review_replay_inputs_of(
    learners uuid[], card_ids uuid[], as_of timestamptz, whole_logs boolean
)
returns table (
    learner_id uuid, utc_offset integer, day_starts_at smallint, parameters real[],
    card_id uuid, created bigint,
    preset_deck uuid, desired_retention real, maximum_interval_days integer,
    new_cards_per_day integer, reviews_per_day integer,
    learning_steps_seconds integer[], relearning_steps_seconds integer[],
    bury_siblings boolean, leech_threshold integer, leech_suspends boolean,
    phase text, step smallint, stability real, difficulty real, due_at bigint,
    last_review_at bigint, scheduled_days integer, reps integer, lapses integer,
    replayed_with bigint,
    reviewed_at bigint[], ratings smallint[]
)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
    return query
    with recursive asked as materialized (
        select pair.learner, c.id, c.deck_id, c.created_at
        from unnest(learners, card_ids) as pair(learner, card_id)
        join cards c on c.id = pair.card_id
    ),
    -- Each asked card's deck and its ancestors, walked once for the batch.
    up (start, id, parent_id, owner_id, visibility) as (
        select d.id, d.id, d.parent_id, d.owner_id, d.visibility
        from decks d where d.id in (select asked.deck_id from asked)
        union all
        select up.start, d.id, d.parent_id, d.owner_id, d.visibility
        from up join decks d on d.id = up.parent_id
    ),
    shared as materialized (
        select asked.learner, asked.id, asked.created_at,
               (select up.id from up where up.start = asked.deck_id and up.parent_id is null) as top_deck
        from asked
        where exists (
            select 1 from up
            where up.start = asked.deck_id
              and (up.owner_id = asked.learner
                   or up.visibility <> 'private'
                   or exists (
                       select 1 from lesson_decks ld
                       join lessons l on l.id = ld.lesson_id
                       join enrolments e on e.course_id = l.course_id and e.user_id = asked.learner
                       where ld.deck_id = up.id)))
    )
    select u.id, learner_utc_offset(u.time_zone, as_of), u.day_starts_at, f.parameters,
           c.id, extract(epoch from c.created_at)::bigint,
           p.deck_id, p.desired_retention, p.maximum_interval_days,
           p.new_cards_per_day, p.reviews_per_day,
           p.learning_steps_seconds, p.relearning_steps_seconds,
           p.bury_siblings, p.leech_threshold, p.leech_suspends,
           s.phase, s.step, s.stability, s.difficulty, extract(epoch from s.due_at)::bigint,
           extract(epoch from s.last_review_at)::bigint, s.scheduled_days, s.reps, s.lapses,
           s.replayed_with,
           coalesce(h.reviewed_at, '{}'),
           coalesce(h.ratings, '{}')
    from users u
    left join fsrs_parameters f on f.learner_id = u.id
    left join shared c on c.learner = u.id
    left join deck_presets p on p.deck_id = c.top_deck
    -- A lookup by key rather than a join: the plan kept from a young
    -- database's first review read the whole table into a hash for each
    -- transaction. `offset 0` keeps the planner from turning the lookup
    -- into a join of its own accord: planned while `card_states` was
    -- nearly empty, one review per request ran at half the rate.
    left join lateral (
        select st.phase, st.step, st.stability, st.difficulty, st.due_at, st.last_review_at,
               st.scheduled_days, st.reps, st.lapses, st.replayed_with
        from card_states st
        where st.learner_id = u.id and st.card_id = c.id
        offset 0
    ) s on true
    left join lateral (
        select array_agg(extract(epoch from r.reviewed_at)::bigint order by r.reviewed_at, r.id)
                   as reviewed_at,
               array_agg(r.rating order by r.reviewed_at, r.id) as ratings
        from reviews r
        where r.learner_id = u.id and r.card_id = c.id and r.rating is not null
          -- One bound, so that it is the index range's start.
          and r.reviewed_at > case when whole_logs then '-infinity'
                                   else coalesce(s.last_review_at, '-infinity') end
          and not exists (
              select 1 from reviews undo
              where undo.learner_id = u.id and undo.cancels = r.id and undo.card_id = r.card_id)
    ) h on true
    where u.id = any(learners);
end
$$;
