-- no-transaction
-- A card's log, as the replay reads it (`review_replay_inputs_of`), from the
-- index alone: its ratings, times and ids in one index range, where the old
-- index (`reviews_card_idx`, the same key) led to one heap page per review,
-- each review of a card being written on a different day and so on a
-- different page. Pages that autovacuum has marked all-visible need no heap
-- visit at all: for sixteen cards of about thirty reviews each, the read went
-- from 1.03 to 0.87 ms in pgbench with every page in memory, and a log on
-- disk is one read instead of thirty.
-- Built concurrently, so that reviews are still written while a large log is
-- indexed; one statement per file, as PostgreSQL runs the statements of one
-- message in one transaction, where a concurrent build cannot run.
create index concurrently if not exists reviews_history_idx
    on reviews (learner_id, card_id, reviewed_at) include (id, rating);
