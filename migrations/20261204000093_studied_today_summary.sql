-- A study page's "Done for today" says what the learner did in the deck
-- today: answers, how many were remembered, and the time they took. Without
-- JavaScript every answer is a page of its own, so the page that finds
-- nothing left has answered nothing itself; the figures have to come from
-- the log. `standing_reviews_since` now also gives each standing review's
-- rating and duration (read from the same heap row as its card), and
-- `study_answered_today` sums them.
--
-- Both change their result's shape, so both are dropped and created again.
-- The functions that call `standing_reviews_since` name its columns and are
-- not bound to it, so they read the new one as they read the old.
drop function study_answered_today(uuid, uuid, timestamptz);
drop function standing_reviews_since(uuid, timestamptz);

create function standing_reviews_since(learner uuid, day_start timestamptz)
returns table (card_id uuid, new_today boolean, rating smallint, duration_ms integer)
language sql stable as $$
    select r.card_id, not exists (
        select 1 from reviews earlier
        where earlier.learner_id = learner and earlier.card_id = r.card_id
          and earlier.rating is not null and earlier.reviewed_at < day_start
          and not exists (select 1 from reviews undo
                          where undo.learner_id = learner and undo.cancels = earlier.id
                            and undo.card_id = earlier.card_id)
    ), r.rating, r.duration_ms
    from reviews r
    where r.learner_id = learner and r.rating is not null and r.reviewed_at >= day_start
      and not exists (select 1 from reviews undo
                      where undo.learner_id = learner and undo.cancels = r.id and undo.card_id = r.card_id)
$$;

-- What `learner` answered under `root` since `day_start`: cards met for the
-- first time today, other answers, all answers that stand, those of them
-- other than Again, and the time they took.
create function study_answered_today(
    learner uuid, root uuid, day_start timestamptz,
    out new_today bigint, out reviews_today bigint, out answered_today bigint,
    out remembered_today bigint, out time_today_ms bigint
)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
    with recursive tree (id) as (
        select root union select d.id from decks d join tree on d.parent_id = tree.id
    )
    select count(distinct t.card_id) filter (where t.new_today),
           count(*) filter (where not t.new_today),
           count(*),
           count(*) filter (where t.rating > 1),
           coalesce(sum(t.duration_ms), 0)
    into new_today, reviews_today, answered_today, remembered_today, time_today_ms
    from standing_reviews_since(learner, day_start) t
    join cards c on c.id = t.card_id
    where c.deck_id in (select id from tree);
end
$$;
