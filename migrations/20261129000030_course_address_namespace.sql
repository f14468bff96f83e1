-- A draft's address is private to its author. With one instance-wide unique
-- slug, creating a course at another teacher's draft address answered
-- "Another course already uses this address" and so revealed the draft.
-- Now an address is unique among one author's courses, and among courses
-- that have been published (published or archived), which anyone could
-- already find. A draft whose address a published course takes meanwhile
-- must change it before it can be published.
alter table courses drop constraint courses_slug_key;
create unique index courses_owner_slug_key on courses (owner_id, slug);
create unique index courses_public_slug_key on courses (slug) where status <> 'draft';
