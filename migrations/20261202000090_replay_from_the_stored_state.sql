-- A card's stored state carries on from where it is, rather than being
-- rebuilt from the card's whole log on every review.
--
-- `replayed_with` is a digest of everything besides the log that the replay
-- which wrote the state depended on: the FSRS parameters, the preset's
-- scheduling options, the learner's clock and the scheduler's revision
-- (`study::db::replay_key`). When it still matches, and every review that
-- arrived is a rating dated after the state's last review, the new state is
-- the stored one carried forward through those ratings alone; otherwise the
-- card's whole log is replayed, as before. Null (every state written before
-- this) always means a whole replay, after which the digest is known.
alter table card_states add column replayed_with bigint;

-- An undo cancels a review of its own card only. Before, an undo naming a
-- review of another card took that review out of the other card's log
-- without replaying it, so that card's stored state and its log disagreed.
-- Every reading of the standing log (the replay, statistics, the optimiser)
-- now matches the card as well.
create or replace function standing_reviews_since(learner uuid, day_start timestamptz)
returns table (card_id uuid, new_today boolean)
language sql stable as $$
    select r.card_id, not exists (
        select 1 from reviews earlier
        where earlier.learner_id = learner and earlier.card_id = r.card_id
          and earlier.rating is not null and earlier.reviewed_at < day_start
          and not exists (select 1 from reviews undo
                          where undo.learner_id = learner and undo.cancels = earlier.id
                            and undo.card_id = earlier.card_id)
    )
    from reviews r
    where r.learner_id = learner and r.rating is not null and r.reviewed_at >= day_start
      and not exists (select 1 from reviews undo
                      where undo.learner_id = learner and undo.cancels = r.id and undo.card_id = r.card_id)
$$;

-- `review_replay_inputs_of`, as in `..._review_replay_inputs_one_walk.sql`,
-- now also answers the stored state and its digest, and reads of the card's
-- log only the standing ratings after the stored state's last review (all of
-- them when there is no stored state, or when `whole_logs` asks): for a card
-- with some forty reviews, one index entry instead of forty, and one undo
-- probe instead of forty.
drop function review_replay_inputs_of(uuid[], uuid[], timestamptz);
create function review_replay_inputs_of(
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
    studied as materialized (
        select asked.learner, asked.id, asked.created_at,
               (select up.id from up where up.start = asked.deck_id and up.parent_id is null) as top_deck
        from asked
        where exists (
            select 1 from up
            where up.start = asked.deck_id
              and (up.owner_id = asked.learner
                   or (up.visibility <> 'private' and exists (
                       select 1 from deck_studies s where s.learner_id = asked.learner and s.deck_id = up.id))
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
    left join studied c on c.learner = u.id
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
