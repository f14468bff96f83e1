-- The study queue's three reads, as functions whose plans PostgreSQL keeps
-- (as 20261130000074_study_functions_generic_plans.sql did for the
-- dashboard's). Sent as statements, each was planned again on every call:
-- for a learner who has met 900 cards of a 1,000-card deck, logging one
-- queue showed 1.4, 0.9 and 1.3 ms of planning for 0.03, 0.02 and 0.3 ms of
-- work. In psql, the new-card read went from 0.9-1.3 to 0.26-0.29 ms with
-- the plan kept, the due-card read from 0.5-0.8 to 0.07 ms.

-- What `learner` answered under `root` since `day_start`: cards met for the
-- first time today, other answers, and all answers that stand.
create function study_answered_today(
    learner uuid, root uuid, day_start timestamptz,
    out new_today bigint, out reviews_today bigint, out answered_today bigint
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
           count(*)
    into new_today, reviews_today, answered_today
    from standing_reviews_since(learner, day_start) t
    join cards c on c.id = t.card_id
    where c.deck_id in (select id from tree);
end
$$;

-- The cards under `root` that `learner` has met and are due before
-- `day_end`, earliest first, leaving out those they suspended or buried.
create function study_cards_due(learner uuid, root uuid, day_end timestamptz, at timestamptz)
returns table (
    id uuid, note_id uuid, front_html text, back_html text, phase text, step smallint,
    stability real, difficulty real, due bigint, last_review bigint,
    scheduled_days integer, reps integer, lapses integer
)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
    return query
    with recursive tree (id) as (
        select root union select d.id from decks d join tree on d.parent_id = tree.id
    )
    select c.id, c.note_id, c.front_html, c.back_html, s.phase, s.step, s.stability, s.difficulty,
           extract(epoch from s.due_at)::bigint,
           extract(epoch from s.last_review_at)::bigint,
           s.scheduled_days, s.reps, s.lapses
    from card_states s join cards c on c.id = s.card_id
    where s.learner_id = learner and c.deck_id in (select tree.id from tree) and s.due_at < day_end
      and not exists (
          select 1 from card_flags f
          where f.learner_id = learner and f.card_id = c.id
            and (f.suspended or f.buried_until > at)
      )
    order by s.due_at, c.id;
end
$$;

-- The first `how_many` new cards under `root` for `learner`: the first of
-- each deck of the tree, read from where their new cards begin in it
-- (`new_cards_waiting`), then the first of those, in study order.
create function study_new_cards(learner uuid, root uuid, at timestamptz, how_many bigint)
returns table (id uuid, note_id uuid, front_html text, back_html text, created bigint)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
    return query
    with recursive tree (id) as (
        select root union select d.id from decks d join tree on d.parent_id = tree.id
    )
    select c.id, c.note_id, c.front_html, c.back_html, extract(epoch from c.created_at)::bigint
    from tree
    cross join lateral new_cards_waiting(learner, tree.id, at, how_many) waiting
    join cards c on c.id = waiting.card_id
    order by waiting.created_at, waiting.ordinal, waiting.card_id
    limit how_many;
end
$$;
