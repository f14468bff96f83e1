-- The dashboard's "Study today" list as PL/pgSQL, whose statements keep
-- their plans for the connection's life. As one SQL statement, PostgreSQL
-- planned it again on every dashboard view: 2 ms of planning for 0.5 ms of
-- work, most of the page's database time. Its one generic plan was no way
-- out: not knowing the learner, it scanned every card (230 ms). Split into
-- statements keyed by one learner and one deck tree, each plan is good for
-- every learner.

-- New, learning and due cards under `root` for `learner` (suspended and
-- buried cards left out), and what they answered there since `day_start`:
-- cards met for the first time today, and other ratings.
create function deck_study_counts(
    learner uuid, root uuid, day_start timestamptz, day_end timestamptz, now timestamptz,
    out new_available bigint, out learning bigint, out review_due bigint,
    out new_today bigint, out reviews_today bigint
)
language plpgsql stable as $$
declare
    tree uuid[];
begin
    with recursive subtree (id) as (
        select root
        union
        select d.id from decks d join subtree on d.parent_id = subtree.id
    )
    select array_agg(subtree.id) into tree from subtree;

    select count(*) filter (where s.card_id is null),
           count(*) filter (where s.phase in ('learning', 'relearning') and s.due_at < day_end),
           count(*) filter (where s.phase = 'review' and s.due_at < day_end)
    into new_available, learning, review_due
    from cards c
    left join card_states s on s.learner_id = learner and s.card_id = c.id
    where c.deck_id = any(tree)
      and not exists (
          select 1 from card_flags f
          where f.learner_id = learner and f.card_id = c.id
            and (f.suspended or f.buried_until > now)
      );

    select count(distinct today.card_id) filter (where today.new_today),
           count(*) filter (where not today.new_today)
    into new_today, reviews_today
    from standing_reviews_since(learner, day_start) today
    join cards c on c.id = today.card_id
    where c.deck_id = any(tree);
end
$$;

-- The decks `learner` studies, each once and with its subdecks: their own
-- top-level decks (why = 1), the decks they chose (2), their courses'
-- decks (3); with today's counts and the new-card and review limits of the
-- preset each follows (null: the defaults).
create function studied_decks_today(
    learner uuid, day_start timestamptz, day_end timestamptz, now timestamptz
)
returns table (
    deck_id uuid, title text, why integer, new_cards_per_day integer, reviews_per_day integer,
    new_available bigint, learning bigint, review_due bigint, new_today bigint, reviews_today bigint
)
language plpgsql stable as $$
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
    cross join lateral deck_study_counts(learner, r.id, day_start, day_end, now) counts
    order by r.why, lower(d.title), d.id;
end
$$;
