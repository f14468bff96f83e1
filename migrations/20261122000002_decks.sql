-- Decks and their cards.
--
-- A card stores its front and back as HTML that was rendered and sanitised
-- when it was written, so that neither the server nor an offline browser has
-- to render anything at review time.

create table decks (
    id uuid primary key default gen_random_uuid(),
    owner_id uuid not null references users (id) on delete cascade,
    title text not null,
    description text not null default '',
    created_at timestamptz not null default now(),
    constraint decks_title_length check (char_length(title) between 1 and 200)
);

-- The dashboard lists a person's decks, newest first.
create index decks_owner_idx on decks (owner_id, created_at desc);

create table cards (
    id uuid primary key default gen_random_uuid(),
    deck_id uuid not null references decks (id) on delete cascade,
    front_html text not null,
    back_html text not null,
    created_at timestamptz not null default now()
);

create index cards_deck_idx on cards (deck_id);
