-- no-transaction
-- Every learner's schedule of one card. A card is deleted with its learners'
-- schedules (the foreign key cascades), and a note edit that would delete a
-- card learners have studied asks first (`notes::db::studied_cards_dropped`):
-- both look up `card_states` by card, where every other index starts with the
-- learner, so each was a scan of every learner's schedule. A review already
-- rewrites this table's indexes (its due date is indexed, so no update of it
-- is a heap-only one), and this adds one more to them.
-- Built concurrently, so that reviews are still written meanwhile.
create index concurrently if not exists card_states_card_idx on card_states (card_id);
