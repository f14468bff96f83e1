-- Someone who has forgotten their password asks for a link by email
-- (`auth::api::request_password_reset`). Only a SHA-256 hash of the link's
-- token is kept, so this table alone (read from a backup, say) opens no
-- account. A link works once, within its hour, and only while the account
-- still has the address it was sent to and the password it had then: the
-- session generation moves on with every new password, so a reset, or a
-- change on the settings page, ends every link sent before it.
create table password_resets (
    token_hash bytea primary key,
    user_id uuid not null references users (id) on delete cascade,
    email text not null,
    session_generation integer not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz
);

-- The links sent to one account lately, counted to bound how much mail a
-- stranger can make it receive.
create index password_resets_user_idx on password_resets (user_id, created_at);

-- Requests for a reset link are counted per network, as sign-ups are,
-- whether or not the address has an account (so that the count tells
-- nothing about it): one table holds both counts, told apart by kind.
alter table registration_attempts rename to requests_per_network;
alter table requests_per_network rename column attempted_at to requested_at;
alter table requests_per_network add column kind text not null default 'registration';
alter table requests_per_network alter column kind drop default;
drop index registration_attempts_ip_idx;
create index requests_per_network_idx on requests_per_network (kind, client_ip, requested_at);
