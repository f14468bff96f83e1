-- A deck's page in one statement: the deck, the subdecks under it that the
-- viewer may see, one page of its notes, and whether the viewer studies it.
-- These were five statements, four of them sent at once on four pooled
-- connections: each was planned again on every view (planning took longer
-- than the reads), and each cost the server a round trip of its own. As a
-- PL/pgSQL function the plan is kept (the pattern of `dashboard_of`).
--
-- Whether the viewer may see the deck at all is not decided here: the
-- server checks the deck it returns (`Deck::is_visible_to`, the one place
-- that rule is written) before it shows any of it.
-- A note as the deck page lists it, and where it stands in the deck's order
-- (for the next page's cursor).
create type deck_page_note as (
    id uuid, note_type_name text, front_html text, card_count bigint, tags text[],
    created_at_micros bigint
);

create function deck_page_of(
    page_deck uuid, viewer uuid, viewer_is_admin boolean, with_study boolean,
    after_created_at_micros bigint, after_note uuid, notes_limit integer
)
returns table (
    id uuid, owner_id uuid, owner_name text, title text, description text, language text,
    visibility deck_visibility, parent_id uuid,
    card_count_with_subdecks bigint, note_count bigint,
    subdecks json, notes deck_page_note[], studied boolean, chosen boolean
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
               select 1 from deck_studies ds where ds.learner_id = viewer and ds.deck_id = d.id)
    from decks d join users u on u.id = d.owner_id
    where d.id = page_deck;
end
$$;
