-- A submission's locks, its inserts and the read of what its replay needs,
-- in one call: one round trip of the four a review's transaction now makes
-- (begin; this; the write of the states; commit), where the locks and
-- inserts and the read were a statement each.
--
-- Each statement of a volatile PL/pgSQL function takes a new snapshot, as
-- separate statements did: the read, after the locks are held, sees every
-- review committed by whoever held a lock before.
--
-- Each card's row also carries the ids of its reviews that this call
-- stored (a review sent before is not stored again): with the stored state,
-- they say whether the state can be carried forward
-- (`study::db::carries_forward`).
create function record_reviews_and_read(
    lock_learners uuid[], lock_cards uuid[],
    review_ids uuid[], review_learners uuid[], review_cards uuid[], review_ratings smallint[],
    review_cancels uuid[], review_times float8[], review_durations integer[],
    as_of timestamptz
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
    reviewed_at bigint[], ratings smallint[],
    stored_now uuid[]
)
language plpgsql volatile
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
declare
    stored_ids uuid[];
    stored_learners uuid[];
    stored_cards uuid[];
begin
    -- The caller sorts the pairs, so two calls never wait on each other.
    perform pg_advisory_xact_lock(hashtextextended(locked.learner_id::text || locked.card_id::text, 0))
    from unnest(lock_learners, lock_cards) as locked(learner_id, card_id);

    with stored as (
        insert into reviews (id, learner_id, card_id, rating, cancels, reviewed_at, duration_ms)
        select r.id, r.learner_id, r.card_id, r.rating, r.cancels, to_timestamp(r.reviewed_at), r.duration_ms
        from unnest(review_ids, review_learners, review_cards, review_ratings, review_cancels,
                    review_times, review_durations)
            as r(id, learner_id, card_id, rating, cancels, reviewed_at, duration_ms)
        on conflict (id) do nothing
        returning reviews.id, reviews.learner_id, reviews.card_id
    )
    select array_agg(stored.id), array_agg(stored.learner_id), array_agg(stored.card_id)
    into stored_ids, stored_learners, stored_cards
    from stored;

    return query
    select inputs.*, coalesce(now_stored.ids, '{}')
    from review_replay_inputs_of(lock_learners, lock_cards, as_of, false) inputs
    left join (
        select s.learner_id, s.card_id, array_agg(s.id) as ids
        from unnest(stored_ids, stored_learners, stored_cards) as s(id, learner_id, card_id)
        group by s.learner_id, s.card_id
    ) now_stored on now_stored.learner_id = inputs.learner_id and now_stored.card_id = inputs.card_id;
end
$$;
