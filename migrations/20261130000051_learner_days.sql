-- Where a learner's days begin: an hour (4 a.m. unless they change it) in
-- their own time zone. `time_zone` is an IANA name PostgreSQL knows
-- (`pg_timezone_names`); null until the browser has told us or the learner
-- chose one, and read as UTC until then.
alter table users
    add column time_zone text,
    add column day_starts_at smallint not null default 4,
    add constraint users_day_starts_at check (day_starts_at between 0 and 23);

-- The learner's offset from UTC, in seconds, at `at`: PostgreSQL's own time
-- zone database answers, so summer time is right without a copy of it here.
create function learner_utc_offset(zone text, at timestamptz) returns integer
language sql stable as $$
    select extract(epoch from (at at time zone coalesce(zone, 'UTC')) - (at at time zone 'UTC'))::integer
$$;
