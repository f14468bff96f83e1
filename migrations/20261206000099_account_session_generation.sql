-- A person can change their password from the settings page, and that signs
-- out every other device: each session keeps the account's generation from
-- the moment it signed in, a change of password moves it on, and a session
-- of an older generation is ended on its next request. A counter rather
-- than a time, so that a session signed in within the same second as the
-- change cannot slip through.
alter table users add column session_generation integer not null default 0;

-- Every server caches accounts (`auth::signed_in`); a new generation must
-- reach them all at once, as a new role does.
drop trigger account_changed on users;
create trigger account_changed
    after update of email, display_name, role, session_generation on users
    for each row when (
        (old.email, old.display_name, old.role, old.session_generation)
        is distinct from (new.email, new.display_name, new.role, new.session_generation)
    )
    execute function notify_account_changed();
