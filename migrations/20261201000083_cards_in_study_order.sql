-- A deck's cards in the order new cards are studied (oldest first, then by
-- card of the note), so that the study queue reads the day's new cards from
-- the front of each deck's range and stops: before, it read and sorted every
-- card of the deck on each study page (1.4 ms for 1,000 cards, growing with
-- the deck; without JavaScript, on every answer), now 0.08 ms for any size.
-- The index on `deck_id` alone stays: counting a deck's cards (every
-- catalogue result, every deck page) reads it, and one search at a time ran
-- 10-20% slower with only this wider one to read.
create index cards_deck_order_idx on cards (deck_id, created_at, ordinal, id);
