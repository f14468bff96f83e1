-- The session table, created here as tower-sessions' PostgreSQL store
-- creates it (same columns; its own start-up `migrate` is then a no-op), so
-- that queries against it are checked at compile time like every other.
create schema if not exists tower_sessions;
create table if not exists tower_sessions.session (
    id text primary key not null,
    data bytea not null,
    expiry_date timestamptz not null
);

-- Each server keeps the sessions it has read in memory. When a session ends
-- (logout, or the id rotated at login) or its data changes,
-- every server is told, so that none keeps serving its copy. Expired rows
-- removed by the cleanup job are not announced: no server would accept them.
create function notify_session_changed() returns trigger
language plpgsql as $$
begin
    perform pg_notify('engram_session_changed', old.id);
    return null;
end
$$;

create trigger session_ended
    after delete on tower_sessions.session
    for each row when (old.expiry_date > now())
    execute function notify_session_changed();

create trigger session_data_changed
    after update of data on tower_sessions.session
    for each row when (old.data is distinct from new.data)
    execute function notify_session_changed();
