-- A deck page lists up to 100 notes, each with the front of its first card
-- and how many cards it has. Looking both up in `cards` for every listed
-- note was most of the page's database time (`make bench`: 5,200 list
-- queries a second against 24,000 without the lookups), so each note keeps
-- the two, written by the same code and transaction that write its cards
-- (`notes/db.rs`). Cards stay the record; these are a summary of them.
alter table notes
    add column card_count integer not null default 0,
    add column first_front_html text not null default '';

update notes n
set card_count = summary.card_count, first_front_html = summary.front_html
from (
    select distinct on (note_id) note_id, front_html,
           count(*) over (partition by note_id) as card_count
    from cards
    order by note_id, ordinal
) summary
where summary.note_id = n.id;

-- Notes written in one transaction (an import, the seed) share `created_at`;
-- with `id` in the index the page's order comes straight from it and the
-- scan stops after one page instead of sorting the whole deck.
drop index notes_deck_idx;
create index notes_deck_idx on notes (deck_id, created_at, id);
