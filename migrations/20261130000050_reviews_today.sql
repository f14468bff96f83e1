-- A learner's standing ratings since `day_start` (none an undo has taken
-- back), each marked whether the card met the learner today (no standing
-- rating before `day_start`): such a card spends the day's new-card
-- allowance once, and the ratings of any other card the review allowance.
-- Written once for the study queue and the dashboard's counts, so the two
-- always agree. Reads one index range of today's reviews.
create function standing_reviews_since(learner uuid, day_start timestamptz)
returns table (card_id uuid, new_today boolean)
language sql stable as $$
    select r.card_id, not exists (
        select 1 from reviews earlier
        where earlier.learner_id = learner and earlier.card_id = r.card_id
          and earlier.rating is not null and earlier.reviewed_at < day_start
          and not exists (select 1 from reviews undo where undo.learner_id = learner and undo.cancels = earlier.id)
    )
    from reviews r
    where r.learner_id = learner and r.rating is not null and r.reviewed_at >= day_start
      and not exists (select 1 from reviews undo where undo.learner_id = learner and undo.cancels = r.id)
$$;
