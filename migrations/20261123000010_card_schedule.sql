-- When each card is next due. Scheduling itself (FSRS) arrives with
-- reviews; the card browser already searches by it (`is:new`, `is:due`).
-- A card that was never studied has no due date: that is what "new" means,
-- so no separate state column can disagree with it.
alter table cards add column due_at timestamptz;

-- The browser's `is:due` and its "Due" sort read cards deck by deck.
create index cards_deck_due_idx on cards (deck_id, due_at);
