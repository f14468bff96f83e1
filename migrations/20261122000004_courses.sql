-- Courses: a teacher's ordered lessons, each with Markdown text and the
-- decks to study with it, and learners' enrolments and progress.

create type course_status as enum ('draft', 'published', 'archived');
create type course_level as enum ('beginner', 'intermediate', 'advanced');

create table courses (
    id uuid primary key default gen_random_uuid(),
    owner_id uuid not null references users (id) on delete cascade,
    -- The course's address (`/courses/<slug>`), unique across the instance.
    slug text not null,
    title text not null,
    description text not null default '',
    category text not null default '',
    level course_level not null default 'beginner',
    -- A BCP 47 tag such as `es` or `pt-BR`; empty when not stated.
    language text not null default '',
    -- Draft courses are seen by their owner only; archived ones stay open
    -- to the learners already enrolled but take no new enrolments.
    status course_status not null default 'draft',
    published_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint courses_slug_key unique (slug),
    constraint courses_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) between 3 and 80),
    constraint courses_title_length check (char_length(title) between 1 and 200),
    constraint courses_description_length check (char_length(description) <= 10000),
    constraint courses_category_length check (char_length(category) <= 60),
    constraint courses_language_length check (char_length(language) <= 35)
);

create index courses_owner_idx on courses (owner_id, created_at desc);

create table lessons (
    id uuid primary key default gen_random_uuid(),
    course_id uuid not null references courses (id) on delete cascade,
    -- 1, 2, 3 … in the order learners take them. Deferred, so that two
    -- lessons can swap places inside one transaction.
    position integer not null,
    title text not null,
    -- The Markdown as written, and the sanitised HTML rendered from it on
    -- save, so that showing a lesson renders nothing.
    body_markdown text not null default '',
    body_html text not null default '',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint lessons_position_key unique (course_id, position) deferrable initially deferred,
    constraint lessons_title_length check (char_length(title) between 1 and 200),
    constraint lessons_body_length check (octet_length(body_markdown) <= 65536)
);

-- The decks a lesson asks learners to study, in the order shown.
create table lesson_decks (
    lesson_id uuid not null references lessons (id) on delete cascade,
    deck_id uuid not null references decks (id) on delete cascade,
    position integer not null,
    primary key (lesson_id, deck_id)
);

create index lesson_decks_deck_idx on lesson_decks (deck_id);

create table enrolments (
    user_id uuid not null references users (id) on delete cascade,
    course_id uuid not null references courses (id) on delete cascade,
    enrolled_at timestamptz not null default now(),
    -- For "continue where you left off" on the dashboard.
    last_lesson_id uuid references lessons (id) on delete set null,
    last_opened_at timestamptz,
    primary key (user_id, course_id)
);

create index enrolments_course_idx on enrolments (course_id);

create table lesson_completions (
    user_id uuid not null references users (id) on delete cascade,
    lesson_id uuid not null references lessons (id) on delete cascade,
    completed_at timestamptz not null default now(),
    primary key (user_id, lesson_id)
);
