-- Everything the dashboard shows, in one statement: the learner's own decks,
-- the courses they teach (when `with_teaching`) and follow, and what is left
-- today in each deck they study, each list as JSON. The page made five round
-- trips for these (a clock read among them); each cost the database and the
-- server more than the small reads themselves. PL/pgSQL, so that the plan is
-- kept for the connection's life; every part is keyed by the learner, so the
-- one generic plan is good for all of them.
--
-- When the learner's day that `at` falls in began: at the hour
-- `day_starts_at` in their time zone, with the zone's offset at `at`. The
-- same arithmetic as `DayClock` in app/src/study/scheduler.rs, which a test
-- holds it to. A SQL function, so that PostgreSQL inlines it.
create function learner_day_start(zone text, day_starts_at smallint, at timestamptz)
returns timestamptz
language sql stable
as $$
    select to_timestamp(
        floor((extract(epoch from at) + learner_utc_offset(zone, at) - day_starts_at * 3600) / 86400) * 86400
        - (learner_utc_offset(zone, at) - day_starts_at * 3600)
    )
$$;

create function dashboard_of(learner uuid, with_teaching boolean, at timestamptz)
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
             learner, day.day_start, day.day_start + interval '24 hours', at
         ) with ordinality s);
end
$$;
