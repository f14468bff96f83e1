-- A new address takes effect only once a link sent to it is opened
-- (`auth::api::change_email`), so a typo cannot move an account to an inbox
-- its owner never reads, and lose them the way back in. Until then the
-- account logs in with the address it has. As for reset links, only a
-- SHA-256 hash of the token is kept. A link works once, within its day, and
-- only while the account keeps the address and the password it had when the
-- link was sent: a new password ends it, and so does a newer request, which
-- marks the ones before it used.
create table email_changes (
    token_hash bytea primary key,
    user_id uuid not null references users (id) on delete cascade,
    old_email text not null,
    new_email text not null,
    session_generation integer not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz
);

-- An account's requests lately, counted to bound how much mail it can send
-- to addresses of its choosing, and its one open request, shown on its
-- settings page.
create index email_changes_user_idx on email_changes (user_id, created_at);

-- The links that still move their account: not used, not expired, the
-- account still at the address and the password it had when each was sent,
-- and no other account at the new address (a link that can only fail is
-- shown as one that no longer works).
-- Read through this view, so the rule is written once; the update that uses
-- a link repeats it on the row it locks (`auth::db::confirm_email_change`).
create view email_changes_that_work as
    select email_changes.*
    from email_changes
    join users on users.id = email_changes.user_id
        and users.email = email_changes.old_email
        and users.session_generation = email_changes.session_generation
    where email_changes.used_at is null and email_changes.expires_at > now()
        and not exists (select 1 from users taken where taken.email = email_changes.new_email);
