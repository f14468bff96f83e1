-- Each learner's own FSRS parameters, fitted to their reviews by a background
-- job (`app::study::optimise`), and the outcome of their latest optimisation.
-- A learner without a row, or with no parameters, is scheduled with FSRS-6's
-- defaults. One row per learner, so at most one optimisation of theirs is
-- ever queued or running: the row's status is what an enqueue checks and
-- sets, in the transaction that puts the job on the queue.
create table fsrs_parameters (
    learner_id uuid primary key references users (id) on delete cascade,
    -- The 21 FSRS-6 parameters every queue and replay of theirs uses; empty
    -- for the defaults.
    parameters real[] not null default '{}',
    adopted_at timestamptz,
    -- The latest optimisation.
    status text not null,
    -- 'manual' (the settings page's "Optimise now") or 'automatic'.
    requested_by text not null,
    -- 0 to 1 while it runs, from the optimiser's own progress.
    progress real not null default 0,
    -- Standing reviews it read, and how many of them it held out.
    review_count integer,
    held_out_count integer,
    -- The current and the new parameters, measured on the held-out reviews.
    log_loss_before real,
    log_loss_after real,
    rmse_before real,
    rmse_after real,
    adopted boolean,
    error text,
    queued_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz,
    constraint fsrs_parameters_count check (cardinality(parameters) in (0, 21)),
    constraint fsrs_parameters_status check (status in ('queued', 'running', 'done', 'failed')),
    constraint fsrs_parameters_requested_by check (requested_by in ('manual', 'automatic')),
    constraint fsrs_parameters_progress check (progress between 0 and 1)
);
