-- Uploaded images and audio. Files are named by the sha256 of their bytes,
-- so one file uploaded twice is stored once, and a URL never changes meaning.
-- The bytes live in the object store (local folder or S3); this table says
-- what they are and who uploaded them.

create table media (
    sha256 text primary key,
    -- Sniffed from the bytes on upload, never taken from the client.
    content_type text not null,
    byte_size bigint not null,
    uploaded_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    constraint media_sha256_format check (sha256 ~ '^[0-9a-f]{64}$'),
    constraint media_byte_size_positive check (byte_size > 0)
);

alter table courses
    add column cover_sha256 text references media (sha256) on delete set null;
