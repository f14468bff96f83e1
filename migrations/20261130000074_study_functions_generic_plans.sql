-- The study functions' statements are keyed by one learner and one deck
-- tree, so one plan serves every call; let PostgreSQL keep it. Left to
-- choose, it kept planning each statement again for each call (custom plans
-- for their parameters): measured with pgbench, the dashboard's "Study
-- today" read ran 2,800 times a second that way and 6,900 with generic
-- plans, and a learner studying a 1,000-card deck still reads in under a
-- millisecond. `studied_decks`, asked by every study read and review
-- submission, went from 7,300 to 19,500 calls a second. (`top_level_deck`
-- is left to choose: its one statement was already fast, and the setting
-- itself costs a little on each call.)
alter function deck_study_counts(uuid, uuid, timestamptz, timestamptz, timestamptz)
    set plan_cache_mode = force_generic_plan;
alter function studied_decks_today(uuid, timestamptz, timestamptz, timestamptz)
    set plan_cache_mode = force_generic_plan;
alter function studied_decks(uuid) set plan_cache_mode = force_generic_plan;
