-- `studied_decks` and `top_level_deck` as PL/pgSQL. As SQL functions they
-- were inlined into, or planned again for, every statement that asks them:
-- a millisecond of planning in each review submission, whose own work takes
-- less. PL/pgSQL keeps each statement's plan for the connection's life, as
-- `deck_tree_card_count` already does. Same rules, same results.
create or replace function studied_decks(learner uuid) returns table (deck_id uuid)
language plpgsql stable rows 20 as $$
begin
    return query
    with recursive studied (id) as (
        select d.id from decks d where d.owner_id = learner
        union
        select s.deck_id from deck_studies s join decks d on d.id = s.deck_id
        where s.learner_id = learner and d.visibility <> 'private'
        union
        select ld.deck_id from enrolments e
        join lessons l on l.course_id = e.course_id
        join lesson_decks ld on ld.lesson_id = l.id
        where e.user_id = learner
        union
        select child.id from decks child join studied parent on child.parent_id = parent.id
    )
    select studied.id from studied;
end
$$;

create or replace function top_level_deck(deck uuid) returns uuid
language plpgsql stable as $$
declare
    top uuid;
begin
    with recursive up (id, parent_id) as (
        select d.id, d.parent_id from decks d where d.id = deck
        union all
        select d.id, d.parent_id from decks d join up on d.id = up.parent_id
    )
    select up.id into top from up where up.parent_id is null;
    return top;
end
$$;
