-- Authoring: who may see a deck, subdecks, note types, and notes from which
-- cards are made.

create type deck_visibility as enum ('private', 'unlisted', 'public');

alter table decks
    add column visibility deck_visibility not null default 'private',
    -- A BCP 47 tag such as `es` or `pt-BR`; empty when not stated.
    add column language text not null default '',
    -- Subdecks: deleting a deck deletes its subdecks and their cards.
    add column parent_id uuid references decks (id) on delete cascade,
    add column updated_at timestamptz not null default now(),
    add constraint decks_parent_is_not_itself check (parent_id <> id),
    add constraint decks_description_length check (char_length(description) <= 10000),
    add constraint decks_language_length check (char_length(language) <= 35);

create index decks_parent_idx on decks (parent_id) where parent_id is not null;

create type note_kind as enum ('standard', 'cloze');

-- A note type names a note's fields and holds the templates of its cards.
-- Built-in types (Basic, Cloze, …) have a `builtin` key and no owner; the
-- server keeps their definitions current at start-up. Custom types belong
-- to the account that made them.
create table note_types (
    id uuid primary key default gen_random_uuid(),
    owner_id uuid references users (id) on delete cascade,
    builtin text unique,
    name text not null,
    kind note_kind not null,
    fields text[] not null,
    -- [{"name": …, "front": …, "back": …}], one per card template.
    templates jsonb not null,
    created_at timestamptz not null default now(),
    constraint note_types_builtin_or_owned check ((builtin is null) <> (owner_id is null)),
    constraint note_types_field_count check (cardinality(fields) between 1 and 32)
);

create index note_types_owner_idx on note_types (owner_id) where owner_id is not null;

insert into note_types (builtin, name, kind, fields, templates)
values ('basic', 'Basic', 'standard', '{Front,Back}',
        '[{"name": "Card 1", "front": "{{Front}}", "back": "{{FrontSide}}<hr>{{Back}}"}]');

create table notes (
    id uuid primary key default gen_random_uuid(),
    deck_id uuid not null references decks (id) on delete cascade,
    note_type_id uuid not null references note_types (id),
    -- Stable through edits and exports, so a shared deck can later be
    -- updated in place (Anki's note guid).
    guid text not null default replace(gen_random_uuid()::text, '-', ''),
    -- Field values as written (Markdown), in the note type's field order.
    fields text[] not null,
    tags text[] not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint notes_guid_key unique (guid)
);

create index notes_deck_idx on notes (deck_id, created_at);
create index notes_tags_idx on notes using gin (tags);

-- Cards are made from notes. `ordinal` is the template index (standard
-- notes) or the cloze number (cloze notes): an edit updates the card with
-- the same ordinal in place, so a card that survives an edit keeps its id
-- and with it its review history.
alter table cards
    add column note_id uuid references notes (id) on delete cascade,
    add column ordinal smallint,
    add column updated_at timestamptz not null default now();

-- Cards written before notes existed become Basic notes of their own.
insert into notes (id, deck_id, note_type_id, fields)
select c.id, c.deck_id, (select id from note_types where builtin = 'basic'), array[c.front_html, c.back_html]
from cards c;

update cards set note_id = id, ordinal = 0;

alter table cards
    alter column note_id set not null,
    alter column ordinal set not null,
    add constraint cards_note_ordinal_key unique (note_id, ordinal);
