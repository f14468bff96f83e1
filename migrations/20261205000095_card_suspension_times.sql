-- When a learner last suspended or unsuspended a card by hand, by the time
-- they did it. A hold made without a connection waits in a device's outbox
-- and can reach the server after a later one made on another device: the
-- later one stands (null: never changed by hand).
alter table card_flags add column suspension_changed_at timestamptz;
