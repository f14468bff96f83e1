-- no-transaction
-- `reviews_history_idx` has the same key and covers the log's columns.
drop index concurrently if exists reviews_card_idx;
