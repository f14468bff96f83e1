-- Each server keeps the signed-in accounts it has read in memory. When an
-- account's email, name or role changes, or the account is deleted, every
-- server is told (with the account's id) and drops its copy, so a role
-- change counts on the next request everywhere.
create function notify_account_changed() returns trigger
language plpgsql as $$
begin
    perform pg_notify('engram_account_changed', old.id::text);
    return null;
end
$$;

create trigger account_changed
    after update of email, display_name, role on users
    for each row when (
        (old.email, old.display_name, old.role)
        is distinct from (new.email, new.display_name, new.role)
    )
    execute function notify_account_changed();

create trigger account_deleted
    after delete on users
    for each row
    execute function notify_account_changed();
