-- A transaction that will write cards into a deck (saving a note, moving
-- notes) takes the deck's frontier lock (20261201000084_new_card_frontiers.sql)
-- first, before it locks anything a learner's transaction might wait for.
-- Taken only by the trigger, after the note's or the cards' rows were
-- locked, it could close a cycle: the writer waiting for a learner's
-- transaction that holds the lock shared, and that transaction waiting
-- for a row the writer holds (a sibling card it buries, a card whose first
-- answer it undoes, a note it tags as a leech). PostgreSQL would end one
-- of them with an error. Taken first, the writer waits and nothing waits
-- for it. Returns the deck, for use in a select.
create function lock_deck_for_new_cards(deck uuid) returns uuid
language plpgsql
as $$
begin
    perform pg_advisory_xact_lock(x'6e63'::integer, new_card_frontier_lock_key(deck));
    return deck;
end
$$;
