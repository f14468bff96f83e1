-- The deck page's notes can be paged back as well as on: `deck_page_of`
-- also answers, for a later page, how many notes come before it ("Notes
-- 51-100 of 120") and the cursor of the page before it ("Previous notes").
-- Its arguments are as they were; its result gains three columns, so it is
-- dropped and created again.
drop function deck_page_of(uuid, uuid, boolean, boolean, bigint, uuid, integer);

create function deck_page_of(
    page_deck uuid, viewer uuid, viewer_is_admin boolean, with_study boolean,
    after_created_at_micros bigint, after_note uuid, notes_limit integer
)
returns table (
    id uuid, owner_id uuid, owner_name text, title text, description text, language text,
    visibility deck_visibility, parent_id uuid,
    card_count_with_subdecks bigint, note_count bigint,
    subdecks json, notes deck_page_note[], studied boolean, chosen boolean,
    notes_before bigint, previous_created_at_micros bigint, previous_note uuid
)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
    return query
    select d.id, d.owner_id, u.display_name, d.title, d.description, d.language,
           d.visibility, d.parent_id,
           deck_tree_card_count(d.id, viewer, viewer_is_admin),
           (select count(*) from notes n where n.deck_id = d.id),
           (select coalesce(json_agg(json_build_object(
                       'id', s.id,
                       'title', s.title,
                       'description', s.description,
                       'card_count_with_subdecks', deck_tree_card_count(s.id, viewer, viewer_is_admin))
                       order by s.title, s.id), '[]')
            from decks s
            where s.parent_id = d.id
              and (s.visibility <> 'private' or s.owner_id = viewer or viewer_is_admin)),
           -- The page's notes in the order the page lists them; one note
           -- more than the page shows tells the server there is a next page.
           -- An array of rows, which the server reads as they are (as JSON,
           -- building and reading the text cost more than the reads).
           array(
               select row(n.id, t.name, n.first_front_html, n.card_count, n.tags,
                          (extract(epoch from n.created_at) * 1000000)::bigint)::deck_page_note
               from notes n join note_types t on t.id = n.note_type_id
               where n.deck_id = d.id
                 -- The first page starts before every note: one condition
                 -- for both cases, which one kept plan serves.
                 and (n.created_at, n.id) > (
                     coalesce(timestamptz 'epoch' + after_created_at_micros * interval '1 microsecond',
                              '-infinity'),
                     coalesce(after_note, '00000000-0000-0000-0000-000000000000'))
               order by n.created_at, n.id
               limit notes_limit),
           with_study and exists (select 1 from studied_decks(viewer) sd where sd.deck_id = d.id),
           with_study and exists (
               select 1 from deck_studies ds where ds.learner_id = viewer and ds.deck_id = d.id),
           -- A later page: how many notes come before it, and where the page
           -- before it starts (the note `notes_limit - 1` places back from the
           -- page's cursor; none when that page is the first). Read only for
           -- a later page: the first page, the one most often shown, pays
           -- nothing for them.
           case when after_note is null then 0 else (
               select count(*) from notes b
               where b.deck_id = d.id and (b.created_at, b.id) <= (
                   timestamptz 'epoch' + after_created_at_micros * interval '1 microsecond', after_note))
           end,
           previous.created_at_micros,
           previous.id
    from decks d join users u on u.id = d.owner_id
    left join lateral (
        select (extract(epoch from p.created_at) * 1000000)::bigint as created_at_micros, p.id
        from notes p
        where after_note is not null and p.deck_id = d.id
          and (p.created_at, p.id) <= (
              timestamptz 'epoch' + after_created_at_micros * interval '1 microsecond', after_note)
        order by p.created_at desc, p.id desc
        offset notes_limit - 1 limit 1
    ) previous on true
    where d.id = page_deck;
end
$$;
