-- Accounts and the roles that decide what each person may do.
--
-- Emails are stored normalised (trimmed, lower-cased) by the application, and
-- the check below keeps anything else out; uniqueness is then a plain unique
-- constraint, whose name the application maps to a field error.

create type user_role as enum ('learner', 'teacher', 'admin');

create table users (
    id uuid primary key default gen_random_uuid(),
    email text not null,
    display_name text not null,
    -- PHC string: algorithm, parameters and salt travel with the hash, so
    -- parameters can be raised later without a migration.
    password_hash text not null,
    role user_role not null default 'learner',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint users_email_key unique (email),
    constraint users_email_is_normalised check (email = lower(btrim(email))),
    constraint users_display_name_length check (char_length(display_name) between 1 and 256)
);

-- Only admins are ever looked up by role (the first-admin rule, the last-admin guard).
create index users_admins_idx on users (id) where role = 'admin';

-- Failed logins, one row each. Throttling counts rows inside a time window,
-- per account and per client address; rows older than the window are pruned.
-- Kept in the database so that the limit holds across server replicas.
create table login_failures (
    id bigint generated always as identity primary key,
    -- The normalised email that was tried, whether or not an account has it.
    account_key text not null,
    client_ip text not null,
    failed_at timestamptz not null default now()
);

create index login_failures_account_idx on login_failures (account_key, failed_at);
create index login_failures_ip_idx on login_failures (client_ip, failed_at);
