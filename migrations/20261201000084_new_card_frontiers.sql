-- Where each learner's new cards begin in each deck, so that finding the
-- day's new cards costs the same on the first day and after a year.
--
-- A learner's new cards are the cards of a deck, in study order
-- (`cards_deck_order_idx`), that have no `card_states` row for them. Before,
-- the study queue and the dashboard's count read a deck from the front and
-- looked up every card the learner had already met: with 900 of five
-- 1,000-card decks studied, the dashboard cost 5.6 to 8.5 ms of database
-- time against 1.4 ms with none, and a study queue half its rate.
--
-- A frontier says: every card of the deck before this position (in study
-- order) has been met by the learner, or is suspended by them. Readers
-- start there. It is a lower bound, never a claim about the cards at or
-- after it, so a frontier that lags behind costs a few lookups and is never
-- wrong. What keeps it a lower bound:
--   * it moves forward only when a learner meets a card for the first time
--     (`card_states` insert), by a compare-and-set on `version`;
--   * anything that can put a not-yet-met card behind it moves it back:
--     an undone first answer (`card_states` delete), a suspension lifted,
--     and a card written into the deck or moved there (its position can be
--     older than the frontier: a move keeps the card's `created_at`, and a
--     card's `created_at` is its transaction's start, which can be older
--     than cards another transaction has committed since);
--   * a card written or moved into a deck is not visible to a learner's
--     transaction until it commits, so the two are kept apart by an advisory
--     lock per deck (hashed into 1024 keys of their own): writers of cards
--     take it exclusively and wait; a learner's transaction only tries it,
--     shared, and leaves the frontier where it is if a writer holds it.
--     Learners never wait on it, and never on each other.
create table new_card_frontiers (
    learner_id uuid not null references users (id) on delete cascade,
    deck_id uuid not null references decks (id) on delete cascade,
    -- The position: a card's (created_at, ordinal, id). '-infinity' is the
    -- front of the deck, 'infinity' past its end (every card met).
    created_at timestamptz not null,
    ordinal integer not null,
    card_id uuid not null,
    -- Bumped by every change, so that a move forward computed from an older
    -- row is dropped.
    version bigint not null,
    primary key (learner_id, deck_id)
);

-- Moving every learner's frontier of a deck back when cards arrive in it.
create index new_card_frontiers_deck_idx on new_card_frontiers (deck_id);

-- The advisory lock that keeps writers of a deck's cards apart from learners
-- moving its frontiers: the two-key form, whose first key (0x6e63, "nc") no
-- other lock of Engram's uses; the second spreads decks over 1024 keys.
create function new_card_frontier_lock_key(deck uuid) returns integer
language sql immutable parallel safe
as $$ select hashtext(deck::text) & 1023 $$;

-- The first new cards of one deck for `learner`, in study order: not yet
-- met, and not suspended or buried by them at `at`. A plain SQL function so
-- that PostgreSQL plans it inline with the query that calls it.
create function new_cards_waiting(learner uuid, deck uuid, at timestamptz, how_many bigint)
returns table (card_id uuid, created_at timestamptz, ordinal integer)
language sql stable
as $$
    select c.id, c.created_at, c.ordinal
    from (
        select f.created_at, f.ordinal, f.card_id
        from new_card_frontiers f
        where f.learner_id = learner and f.deck_id = deck
        union all
        select '-infinity'::timestamptz, -2147483648, '00000000-0000-0000-0000-000000000000'::uuid
        order by 1 desc
        limit 1
    ) frontier
    cross join lateral (
        select c.id, c.created_at, c.ordinal
        from cards c
        where c.deck_id = deck
          and (c.created_at, c.ordinal, c.id) >= (frontier.created_at, frontier.ordinal, frontier.card_id)
          and not exists (select 1 from card_states s where s.learner_id = learner and s.card_id = c.id)
          and not exists (
              select 1 from card_flags f
              where f.learner_id = learner and f.card_id = c.id
                and (f.suspended or f.buried_until > at)
          )
        order by c.created_at, c.ordinal, c.id
        limit how_many
    ) c
$$;

-- Moves `learner`'s frontier in the deck of `card` back to that card, if it
-- is past it. Always bumps the version, even when the frontier stays, so
-- that a move forward computed before this (seeing the card as met) fails.
-- With no frontier yet, writes one at the front for the same reason.
create function new_card_frontier_back_to(learner uuid, card uuid) returns void
language plpgsql
as $$
declare
    at_card record;
begin
    select c.deck_id, c.created_at, c.ordinal into at_card from cards c where c.id = card;
    if not found then
        -- The card itself is being deleted: no position to keep.
        return;
    end if;
    perform from users u where u.id = learner;
    if not found then
        -- So is the learner's account, with their frontiers.
        return;
    end if;
    insert into new_card_frontiers as f (learner_id, deck_id, created_at, ordinal, card_id, version)
    values (learner, at_card.deck_id, '-infinity', -2147483648, '00000000-0000-0000-0000-000000000000', 1)
    on conflict (learner_id, deck_id) do update set
        created_at = case when (f.created_at, f.ordinal, f.card_id) > (at_card.created_at, at_card.ordinal, card)
                          then at_card.created_at else f.created_at end,
        ordinal = case when (f.created_at, f.ordinal, f.card_id) > (at_card.created_at, at_card.ordinal, card)
                       then at_card.ordinal else f.ordinal end,
        card_id = case when (f.created_at, f.ordinal, f.card_id) > (at_card.created_at, at_card.ordinal, card)
                       then card else f.card_id end,
        version = f.version + 1;
end
$$;

-- A learner met a card for the first time: move the frontier of its deck
-- over every card now met or suspended, up to the first that is not.
create function new_card_frontier_advance() returns trigger
language plpgsql
as $$
declare
    deck uuid;
    -- Where the frontier is, and where it moves to.
    from_at timestamptz;
    from_ordinal integer;
    from_card uuid;
    from_version bigint;
    to_at timestamptz;
    to_ordinal integer;
    to_card uuid;
begin
    select c.deck_id into deck from cards c where c.id = new.card_id;
    if not found or not pg_try_advisory_xact_lock_shared(x'6e63'::integer, new_card_frontier_lock_key(deck)) then
        -- Cards are being written into this deck (or one sharing its key):
        -- stay put; the next card met moves it on.
        return null;
    end if;
    select f.created_at, f.ordinal, f.card_id, f.version into from_at, from_ordinal, from_card, from_version
    from new_card_frontiers f where f.learner_id = new.learner_id and f.deck_id = deck;
    if not found then
        -- The front of the deck.
        from_at := '-infinity';
        from_ordinal := -2147483648;
        from_card := '00000000-0000-0000-0000-000000000000';
        from_version := 0;
    end if;
    select c.created_at, c.ordinal, c.id into to_at, to_ordinal, to_card
    from cards c
    where c.deck_id = deck
      and (c.created_at, c.ordinal, c.id) >= (from_at, from_ordinal, from_card)
      and not exists (select 1 from card_states s where s.learner_id = new.learner_id and s.card_id = c.id)
      and not exists (
          select 1 from card_flags f
          where f.learner_id = new.learner_id and f.card_id = c.id and f.suspended
      )
    order by c.created_at, c.ordinal, c.id
    limit 1;
    if not found then
        -- Past the end: every card is met.
        to_at := 'infinity';
        to_ordinal := 0;
        to_card := '00000000-0000-0000-0000-000000000000';
    end if;
    if (to_at, to_ordinal, to_card) = (from_at, from_ordinal, from_card) then
        return null;
    end if;
    insert into new_card_frontiers as f (learner_id, deck_id, created_at, ordinal, card_id, version)
    values (new.learner_id, deck, to_at, to_ordinal, to_card, 1)
    on conflict (learner_id, deck_id) do update set
        created_at = excluded.created_at, ordinal = excluded.ordinal, card_id = excluded.card_id,
        version = f.version + 1
    where f.version = from_version;
    return null;
end
$$;

create trigger card_states_advance_new_card_frontier
after insert on card_states
for each row execute function new_card_frontier_advance();

-- An undone first answer makes the card new again.
create function new_card_frontier_after_forgetting() returns trigger
language plpgsql
as $$
begin
    perform new_card_frontier_back_to(old.learner_id, old.card_id);
    return null;
end
$$;

create trigger card_states_new_card_frontier_back
after delete on card_states
for each row execute function new_card_frontier_after_forgetting();

-- A suspension lifted from a card never met makes it new again.
create function new_card_frontier_after_unsuspending() returns trigger
language plpgsql
as $$
begin
    if old.suspended
       and (tg_op = 'DELETE' or not new.suspended)
       and not exists (select 1 from card_states s where s.learner_id = old.learner_id and s.card_id = old.card_id) then
        perform new_card_frontier_back_to(old.learner_id, old.card_id);
    end if;
    return null;
end
$$;

create trigger card_flags_new_card_frontier_back
after update or delete on card_flags
for each row execute function new_card_frontier_after_unsuspending();

-- Cards written into a deck, or moved or re-dated there: every learner's
-- frontier in that deck goes back to the earliest of them, if past it.
-- Takes each deck's lock exclusively first (in key order, so that two
-- writers cannot wait on each other), which waits for learners' transactions
-- moving a frontier of those decks and keeps new ones from moving until
-- this one commits.
create function new_card_frontiers_after_cards_arrive() returns trigger
language plpgsql
as $$
declare
    lock_key integer;
begin
    -- The earliest card that arrived in each deck. (A trigger's transition
    -- tables can be read again by each statement of the function, and the
    -- update below must be a statement of its own: its snapshot has to be
    -- taken after the locks are held.)
    if tg_op = 'INSERT' then
        for lock_key in
            select distinct new_card_frontier_lock_key(n.deck_id) from arrived n order by 1
        loop
            perform pg_advisory_xact_lock(x'6e63'::integer, lock_key);
        end loop;
        update new_card_frontiers f
        set created_at = a.created_at, ordinal = a.ordinal, card_id = a.id, version = f.version + 1
        from (
            select distinct on (n.deck_id) n.deck_id, n.created_at, n.ordinal, n.id
            from arrived n
            order by n.deck_id, n.created_at, n.ordinal, n.id
        ) a
        where f.deck_id = a.deck_id
          and (f.created_at, f.ordinal, f.card_id) > (a.created_at, a.ordinal, a.id);
    else
        -- Only cards whose deck or position changed: editing a note's text
        -- rewrites its cards and moves nothing.
        for lock_key in
            select distinct new_card_frontier_lock_key(n.deck_id)
            from arrived n join departed o on o.id = n.id
            where (n.deck_id, n.created_at, n.ordinal) is distinct from (o.deck_id, o.created_at, o.ordinal)
            order by 1
        loop
            perform pg_advisory_xact_lock(x'6e63'::integer, lock_key);
        end loop;
        if found then
            update new_card_frontiers f
            set created_at = a.created_at, ordinal = a.ordinal, card_id = a.id, version = f.version + 1
            from (
                select distinct on (n.deck_id) n.deck_id, n.created_at, n.ordinal, n.id
                from arrived n join departed o on o.id = n.id
                where (n.deck_id, n.created_at, n.ordinal) is distinct from (o.deck_id, o.created_at, o.ordinal)
                order by n.deck_id, n.created_at, n.ordinal, n.id
            ) a
            where f.deck_id = a.deck_id
              and (f.created_at, f.ordinal, f.card_id) > (a.created_at, a.ordinal, a.id);
        end if;
    end if;
    return null;
end
$$;

create trigger cards_written_new_card_frontiers_back
after insert on cards
referencing new table as arrived
for each statement execute function new_card_frontiers_after_cards_arrive();

create trigger cards_moved_new_card_frontiers_back
after update on cards
referencing old table as departed new table as arrived
for each statement execute function new_card_frontiers_after_cards_arrive();

-- As in 20261201000081_dashboard_counts_bounded.sql, with the new cards
-- read from each deck's frontier.
create or replace function deck_study_counts(
    learner uuid, root uuid, day_start timestamptz, day_end timestamptz, now timestamptz,
    new_per_day integer, reviews_per_day integer,
    out new_available bigint, out learning bigint, out review_due bigint,
    out new_today bigint, out reviews_today bigint
)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
declare
    tree uuid[];
begin
    with recursive subtree (id) as (
        select root
        union
        select d.id from decks d join subtree on d.parent_id = subtree.id
    )
    select array_agg(subtree.id) into tree from subtree;

    select count(distinct today.card_id) filter (where today.new_today),
           count(*) filter (where not today.new_today)
    into new_today, reviews_today
    from standing_reviews_since(learner, day_start) today
    join cards c on c.id = today.card_id
    where c.deck_id = any(tree);

    -- One statement for the three counts: each statement in a function has
    -- a cost of its own, which for a small deck is most of the work.
    select
        (select count(*) from (
            select 1
            from unnest(tree) as deck(id)
            cross join lateral new_cards_waiting(learner, deck.id, now, greatest(new_per_day - new_today, 0)) waiting
            limit greatest(new_per_day - new_today, 0)
        ) waiting),
        -- Learning cards are all shown: no limit holds them back.
        (select count(*)
         from card_states s join cards c on c.id = s.card_id
         where s.learner_id = learner and s.due_at < day_end
           and s.phase in ('learning', 'relearning')
           and c.deck_id = any(tree)
           and not exists (
               select 1 from card_flags f
               where f.learner_id = learner and f.card_id = c.id
                 and (f.suspended or f.buried_until > now)
           )),
        (select count(*) from (
            select 1
            from card_states s join cards c on c.id = s.card_id
            where s.learner_id = learner and s.due_at < day_end
              and s.phase = 'review'
              and c.deck_id = any(tree)
              and not exists (
                  select 1 from card_flags f
                  where f.learner_id = learner and f.card_id = c.id
                    and (f.suspended or f.buried_until > now)
              )
            limit greatest(reviews_per_day - reviews_today, 0)
        ) due)
    into new_available, learning, review_due;
end
$$;
