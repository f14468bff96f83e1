-- The lapse count at which a card became a leech and its preset suspended
-- it; null when the card is not suspended, or its suspension is the
-- learner's own. Undoing that lapse (the rating that made the card a
-- leech) lifts the suspension it brought, as an undo of a rating lifts the
-- burials it brought. Null too for leech suspensions made before this
-- column: undoing their lapse leaves them, as before.
alter table card_flags add column leech_suspended_at_lapses integer;
