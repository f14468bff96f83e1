-- Language tags saved before the forms wrote them in their usual case
-- (`ui::validate::language`: `es`, `pt-BR`, `zh-Hant-TW`) are rewritten the
-- same way, so that one language is one choice in the catalogue's filter
-- and every page names it. The same rule as the Rust: the first subtag in
-- lower case, a two-letter subtag (a region) in capitals, a four-letter one
-- (a script) capitalised, any other in lower case. Nothing else changes,
-- `updated_at` included.
create function pg_temp.usual_case(tag text) returns text
language sql immutable as $$
    select coalesce(string_agg(
        case
            when part.index = 1 then lower(part.subtag)
            when length(part.subtag) = 2 then upper(part.subtag)
            when length(part.subtag) = 4 then upper(left(part.subtag, 1)) || lower(substr(part.subtag, 2))
            else lower(part.subtag)
        end, '-' order by part.index), '')
    from regexp_split_to_table(tag, '-') with ordinality as part(subtag, index)
$$;

update decks set language = pg_temp.usual_case(language)
where language <> pg_temp.usual_case(language);

update courses set language = pg_temp.usual_case(language)
where language <> pg_temp.usual_case(language);

drop function pg_temp.usual_case(text);
