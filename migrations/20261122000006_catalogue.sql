-- The catalogue: public decks and published courses, searchable with
-- full-text search (title over description over card text) and tolerant of
-- typos through trigram similarity.

-- Trusted since PostgreSQL 13, so the database owner may create it.
create extension if not exists pg_trgm;

-- The text of a deck's notes and their distinct tags, kept current by the
-- triggers below so that searching never aggregates a million cards.
-- The 'simple' configuration does not stem: decks are in every language.
alter table decks
    add column card_text tsvector not null default '',
    add column note_tags text[] not null default '{}',
    add column search_document tsvector generated always as (
        setweight(to_tsvector('simple', title), 'A')
        || setweight(to_tsvector('simple', description), 'B')
        || card_text
    ) stored;

create index decks_search_idx on decks using gin (search_document) where visibility = 'public';
create index decks_title_trgm_idx on decks using gin (title gin_trgm_ops) where visibility = 'public';
create index decks_note_tags_idx on decks using gin (note_tags) where visibility = 'public';
create index decks_public_created_idx on decks (created_at desc, id) where visibility = 'public';

alter table courses
    add column search_document tsvector generated always as (
        setweight(to_tsvector('simple', title), 'A')
        || setweight(to_tsvector('simple', description), 'B')
        || setweight(to_tsvector('simple', category), 'C')
    ) stored;

create index courses_search_idx on courses using gin (search_document) where status = 'published';
create index courses_title_trgm_idx on courses using gin (title gin_trgm_ops) where status = 'published';

-- Recomputes the card text and tags of the given decks. The text is capped
-- (a tsvector holds at most 1 MB) and weighted C, below title and
-- description.
create function refresh_deck_search(deck_ids uuid[]) returns void
language sql as $$
    update decks d
    set card_text = coalesce((
            select setweight(to_tsvector('simple', left(string_agg(array_to_string(n.fields, ' '), ' '), 262144)), 'C')
            from notes n where n.deck_id = d.id
        ), ''),
        note_tags = coalesce((
            select array_agg(distinct tag order by tag)
            from notes n cross join unnest(n.tags) as tag
            where n.deck_id = d.id
        ), '{}')
    where d.id = any(deck_ids);
$$;

-- Statement-level triggers with transition tables: a bulk insert of a
-- million notes refreshes each affected deck once, not once per note.
create function notes_changed() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform refresh_deck_search(array(select distinct deck_id from new_notes));
    elsif tg_op = 'UPDATE' then
        perform refresh_deck_search(array(
            select deck_id from new_notes union select deck_id from old_notes));
    else
        perform refresh_deck_search(array(select distinct deck_id from old_notes));
    end if;
    return null;
end;
$$;

create trigger notes_inserted after insert on notes
    referencing new table as new_notes
    for each statement execute function notes_changed();
create trigger notes_updated after update on notes
    referencing old table as old_notes new table as new_notes
    for each statement execute function notes_changed();
create trigger notes_deleted after delete on notes
    referencing old table as old_notes
    for each statement execute function notes_changed();

select refresh_deck_search(array(select id from decks));

-- One shape for everything the catalogue lists.
create view catalogue_entries as
select 'deck'::text as kind, d.id, ''::text as slug, d.title, d.description, d.language,
       ''::text as category, null::course_level as level, d.note_tags as tags,
       d.search_document, d.created_at as listed_at, d.owner_id
from decks d
where d.visibility = 'public'
union all
select 'course'::text, c.id, c.slug, c.title, c.description, c.language,
       c.category, c.level, '{}'::text[],
       c.search_document, coalesce(c.published_at, c.created_at), c.owner_id
from courses c
where c.status = 'published';
