-- The dashboard counts only the new and review cards it can show. A deck's
-- "Study today" row says how many are left within the day's limits (20 new
-- and 200 reviews by default), but `deck_study_counts` counted every card
-- of the deck to get there: a learner who chose five public decks of 1,000
-- cards paid 3 ms of database time on every dashboard view, one with a
-- 10,000-card deck more, against 0.4 ms for a small deck. Now each count
-- stops at what is left today, and the learning and review counts read the
-- learner's due cards from their own index range instead of walking the
-- deck, so a big deck costs what a small one does.
--
-- The limits come from each deck's preset, else from the defaults that the
-- server passes in (`StudyPreset::default()`), so the numbers are written in
-- one place. The server still takes the smaller of each count and what is
-- left (`StudiedDeckCounts::left_today`), so the page shows the same figures
-- as before.

drop function dashboard_of(uuid, boolean, timestamptz);
drop function studied_decks_today(uuid, timestamptz, timestamptz, timestamptz);
drop function deck_study_counts(uuid, uuid, timestamptz, timestamptz, timestamptz);

-- New, learning and due cards under `root` for `learner` (suspended and
-- buried cards left out), new and due cards counted up to what is left of
-- `new_per_day` and `reviews_per_day` today; and what they answered there
-- since `day_start`: cards met for the first time today, and other ratings.
create function deck_study_counts(
    learner uuid, root uuid, day_start timestamptz, day_end timestamptz, now timestamptz,
    new_per_day integer, reviews_per_day integer,
    out new_available bigint, out learning bigint, out review_due bigint,
    out new_today bigint, out reviews_today bigint
)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
declare
    tree uuid[];
begin
    with recursive subtree (id) as (
        select root
        union
        select d.id from decks d join subtree on d.parent_id = subtree.id
    )
    select array_agg(subtree.id) into tree from subtree;

    select count(distinct today.card_id) filter (where today.new_today),
           count(*) filter (where not today.new_today)
    into new_today, reviews_today
    from standing_reviews_since(learner, day_start) today
    join cards c on c.id = today.card_id
    where c.deck_id = any(tree);

    -- One statement for the three counts: each statement in a function has
    -- a cost of its own, which for a small deck is most of the work.
    select
        (select count(*) from (
            select 1 from cards c
            where c.deck_id = any(tree)
              and not exists (select 1 from card_states s where s.learner_id = learner and s.card_id = c.id)
              and not exists (
                  select 1 from card_flags f
                  where f.learner_id = learner and f.card_id = c.id
                    and (f.suspended or f.buried_until > now)
              )
            limit greatest(new_per_day - new_today, 0)
        ) waiting),
        -- Learning cards are all shown: no limit holds them back.
        (select count(*)
         from card_states s join cards c on c.id = s.card_id
         where s.learner_id = learner and s.due_at < day_end
           and s.phase in ('learning', 'relearning')
           and c.deck_id = any(tree)
           and not exists (
               select 1 from card_flags f
               where f.learner_id = learner and f.card_id = c.id
                 and (f.suspended or f.buried_until > now)
           )),
        (select count(*) from (
            select 1
            from card_states s join cards c on c.id = s.card_id
            where s.learner_id = learner and s.due_at < day_end
              and s.phase = 'review'
              and c.deck_id = any(tree)
              and not exists (
                  select 1 from card_flags f
                  where f.learner_id = learner and f.card_id = c.id
                    and (f.suspended or f.buried_until > now)
              )
            limit greatest(reviews_per_day - reviews_today, 0)
        ) due)
    into new_available, learning, review_due;
end
$$;

-- The decks `learner` studies, each once and with its subdecks: their own
-- top-level decks (why = 1), the decks they chose (2), their courses'
-- decks (3); with today's counts and the new-card and review limits of the
-- preset each follows (null: the defaults, `default_new_per_day` and
-- `default_reviews_per_day`).
create function studied_decks_today(
    learner uuid, day_start timestamptz, day_end timestamptz, now timestamptz,
    default_new_per_day integer, default_reviews_per_day integer
)
returns table (
    deck_id uuid, title text, why integer, new_cards_per_day integer, reviews_per_day integer,
    new_available bigint, learning bigint, review_due bigint, new_today bigint, reviews_today bigint
)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
    return query
    with recursive roots (id, why) as (
        select d.id, 1 from decks d where d.owner_id = learner and d.parent_id is null
        union all
        select s.deck_id, 2 from deck_studies s join decks d on d.id = s.deck_id
        where s.learner_id = learner and d.visibility <> 'private' and d.owner_id <> learner
        union all
        select distinct ld.deck_id, 3 from enrolments e
        join lessons l on l.course_id = e.course_id
        join lesson_decks ld on ld.lesson_id = l.id
        join decks d on d.id = ld.deck_id
        where e.user_id = learner and d.owner_id <> learner
    ),
    first_roots as (select distinct on (roots.id) roots.id, roots.why from roots order by roots.id, roots.why)
    select d.id, d.title, r.why, p.new_cards_per_day, p.reviews_per_day,
           counts.new_available, counts.learning, counts.review_due,
           counts.new_today, counts.reviews_today
    from first_roots r
    join decks d on d.id = r.id
    left join deck_presets p on p.deck_id = top_level_deck(d.id)
    cross join lateral deck_study_counts(
        learner, r.id, day_start, day_end, now,
        coalesce(p.new_cards_per_day, default_new_per_day),
        coalesce(p.reviews_per_day, default_reviews_per_day)
    ) counts
    order by r.why, lower(d.title), d.id;
end
$$;

-- As in 20261130000077_dashboard_of.sql, with the default limits passed on.
create function dashboard_of(
    learner uuid, with_teaching boolean, at timestamptz,
    default_new_per_day integer, default_reviews_per_day integer
)
returns table (decks json, teaching json, studying json, studied json)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
    return query
    with day as (
        select learner_day_start(u.time_zone, u.day_starts_at, at) as day_start
        from users u where u.id = learner
    )
    select
        (select coalesce(json_agg(json_build_object(
                    'id', d.id,
                    'title', d.title,
                    'description', d.description,
                    'card_count_with_subdecks', deck_tree_card_count(d.id, learner, false))
                    order by d.created_at desc, d.id), '[]')
         from decks d
         where d.owner_id = learner and d.parent_id is null),
        (select coalesce(json_agg(json_build_object(
                    'slug', c.slug,
                    'title', c.title,
                    'status', c.status,
                    'lesson_count', (select count(*) from lessons l where l.course_id = c.id),
                    'completed_lessons', 0,
                    'resume_lesson_id', null,
                    'resume_lesson_title', null)
                    order by c.created_at desc, c.id), '[]')
         from courses c
         where with_teaching and c.owner_id = learner),
        (select coalesce(json_agg(json_build_object(
                    'slug', c.slug,
                    'title', c.title,
                    'status', c.status,
                    'lesson_count', (select count(*) from lessons l where l.course_id = c.id),
                    'completed_lessons', (select count(*) from lesson_completions lc
                                          join lessons l on l.id = lc.lesson_id
                                          where l.course_id = c.id and lc.user_id = e.user_id),
                    'resume_lesson_id', resume.id,
                    'resume_lesson_title', resume.title)
                    order by e.last_opened_at desc nulls last, e.enrolled_at desc), '[]')
         from enrolments e
         join courses c on c.id = e.course_id
         -- The lesson to continue with: the last one opened, else the first.
         left join lateral (
             select l.id, l.title from lessons l
             where l.course_id = c.id
             order by (l.id = e.last_lesson_id) desc, l.position
             limit 1
         ) resume on true
         where e.user_id = learner and c.status <> 'draft'),
        (select coalesce(json_agg(json_build_object(
                    'deck_id', s.deck_id,
                    'title', s.title,
                    'why', s.why,
                    'new_cards_per_day', s.new_cards_per_day,
                    'reviews_per_day', s.reviews_per_day,
                    'new_available', s.new_available,
                    'learning', s.learning,
                    'review_due', s.review_due,
                    'new_today', s.new_today,
                    'reviews_today', s.reviews_today)
                    order by s.ordinality), '[]')
         from day
         cross join lateral studied_decks_today(
             learner, day.day_start, day.day_start + interval '24 hours', at,
             default_new_per_day, default_reviews_per_day
         ) with ordinality s);
end
$$;
