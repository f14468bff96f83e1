//! Language tags (`es`, `pt-BR`) as people read them.

/// The English name of a language tag such as `es` or `pt-BR`: "Spanish",
/// "Portuguese (BR)". ISO 639's qualifiers are left out ("Modern Greek
/// (1453-)" reads "Modern Greek"). A tag ISO 639 does not know reads as
/// itself, and an empty one as nothing.
pub fn language_name(tag: &str) -> String {
    let mut subtags = tag.split('-');
    let primary = subtags.next().unwrap_or_default().to_ascii_lowercase();
    let language = match primary.len() {
        2 => isolang::Language::from_639_1(&primary),
        3 => isolang::Language::from_639_3(&primary),
        _ => None,
    };
    let Some(language) = language else {
        return tag.to_owned();
    };
    let name = language.to_name();
    let name = name.split(" (").next().unwrap_or(name);
    let name = name.split(';').next().unwrap_or(name);
    let region: Vec<&str> = subtags.filter(|subtag| !subtag.is_empty()).collect();
    if region.is_empty() {
        name.to_owned()
    } else {
        format!("{name} ({})", region.join("-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_read_as_the_languages_they_name() {
        assert_eq!(language_name("es"), "Spanish");
        assert_eq!(language_name("pt-BR"), "Portuguese (BR)");
        assert_eq!(language_name("deu"), "German");
        assert_eq!(language_name("EN"), "English");
        assert_eq!(language_name("el"), "Modern Greek");
        assert_eq!(language_name("es-"), "Spanish");
        // Unknown or empty tags are shown as they are.
        assert_eq!(language_name("xx"), "xx");
        assert_eq!(language_name("klingon"), "klingon");
        assert_eq!(language_name(""), "");
    }
}
