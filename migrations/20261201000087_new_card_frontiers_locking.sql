-- Two holes in 20261201000084_new_card_frontiers.sql, found in review and
-- reproduced with concurrent sessions:
--
-- 1. Moving a frontier back read the card's deck without a lock. If the
--    card was being moved to another deck at that moment, it moved back the
--    frontier of the deck the card was leaving; meanwhile another of the
--    learner's transactions, still seeing the card as met, could move the
--    new deck's frontier past it, and the card was never new to them again.
--    The card is now read `for share`: a move in flight is waited for, and
--    the deck read is the one it lands in (and a move that starts later
--    waits, then moves the new deck's frontiers back itself).
--
-- 2. Two transactions of one learner (two devices, or two shared writer
--    batches) meeting first cards in two decks in opposite orders each held
--    one frontier row and waited for the other's: a deadlock. Each
--    (learner, deck) frontier now has an advisory lock of its own (first
--    key 0x6e64, "nd"): a learner's transaction only tries it and leaves
--    the frontier where it is if another holds it, so a move forward never
--    waits; moving one back takes it and waits, as it must not be skipped.

create function new_card_frontier_row_lock_key(learner uuid, deck uuid) returns integer
language sql immutable parallel safe
as $$ select hashtext(learner::text || deck::text) $$;

create or replace function new_card_frontier_back_to(learner uuid, card uuid) returns void
language plpgsql
as $$
declare
    at_card record;
begin
    select c.deck_id, c.created_at, c.ordinal into at_card from cards c where c.id = card for share;
    if not found then
        -- The card itself is being deleted: no position to keep.
        return;
    end if;
    perform from users u where u.id = learner;
    if not found then
        -- So is the learner's account, with their frontiers.
        return;
    end if;
    perform pg_advisory_xact_lock(x'6e64'::integer, new_card_frontier_row_lock_key(learner, at_card.deck_id));
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

-- As before, trying the frontier's own lock as well.
create or replace function new_card_frontier_advance() returns trigger
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
    if not found
       or not pg_try_advisory_xact_lock_shared(x'6e63'::integer, new_card_frontier_lock_key(deck))
       or not pg_try_advisory_xact_lock(x'6e64'::integer, new_card_frontier_row_lock_key(new.learner_id, deck)) then
        -- Cards are being written into this deck (or one sharing its key),
        -- or another transaction is moving this frontier: stay put; the
        -- next card met moves it on.
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
