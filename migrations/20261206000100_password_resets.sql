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

-- Requests per network, counted like sign-ups whether or not the address
-- has an account, so that the count tells nothing about it.
create table password_reset_requests (
    id bigint generated always as identity primary key,
    client_ip text not null,
    requested_at timestamptz not null default now()
);

create index password_reset_requests_ip_idx on password_reset_requests (client_ip, requested_at);
