-- Which review buried a card as the sibling of the card it answered, so
-- that undoing that review brings the sibling back today. A burial by hand
-- (the learner's own "bury") has none, and an undo leaves it alone.
alter table card_flags add column buried_by_review uuid;
