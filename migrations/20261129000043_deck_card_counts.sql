-- One meaning of a deck's card count everywhere (dashboard, deck page,
-- subdecks, lessons): the cards in the deck and in every subdeck under it
-- that the viewer may see. A private subdeck is seen by its owner and by
-- admins, the same rule as `Deck::is_visible_to` and `find_deck`.
--
-- PL/pgSQL rather than SQL: a SQL function with a recursive query is
-- planned again in every statement that calls it (0.4 ms, most of the
-- dashboard's database time), while PL/pgSQL keeps its plan per connection.
create function deck_tree_card_count(root uuid, viewer uuid, viewer_is_admin boolean)
returns bigint
language plpgsql stable as $$
begin
    return (
        with recursive tree as (
            select id from decks where id = root
            union
            select d.id from decks d join tree on d.parent_id = tree.id
            where d.visibility <> 'private' or d.owner_id = viewer or viewer_is_admin
        )
        select count(*) from cards c where c.deck_id in (select id from tree)
    );
end
$$;
