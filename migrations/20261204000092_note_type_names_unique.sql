-- A person's note types have names of their own: the note editor offers
-- them as tabs, by name, beside the built-in ones, so two types of one name
-- could not be told apart. Names compare without regard to case and to
-- spaces around them, as people read them. Types that already share a name
-- keep the oldest under it; each other one, in turn, gets the first of
-- " (2)", " (3)", … that no type of its owner has yet.
do $$
declare
    duplicate record;
    n integer;
begin
    for duplicate in
        select id, owner_id, btrim(name) as name
        from (
            select id, owner_id, name, created_at,
                   row_number() over (partition by owner_id, lower(btrim(name)) order by created_at, id) as rank
            from note_types
            where owner_id is not null
        ) as ranked
        where rank > 1
        order by created_at, id
    loop
        n := 2;
        while exists (
            select 1 from note_types
            where owner_id = duplicate.owner_id
              and lower(btrim(name)) = lower(duplicate.name || ' (' || n || ')')
        ) loop
            n := n + 1;
        end loop;
        update note_types set name = duplicate.name || ' (' || n || ')' where id = duplicate.id;
    end loop;
end $$;

create unique index note_types_owner_name_key
    on note_types (owner_id, lower(btrim(name)))
    where owner_id is not null;
