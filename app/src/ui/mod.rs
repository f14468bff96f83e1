//! UI pieces shared by every feature: form fields, notices, the page frame.

mod app_failure;
mod card_styles;
mod form;
mod form_action;
#[cfg(feature = "ssr")]
mod language;
mod layout;
mod loaded;
mod page_data;
mod safe_html;
mod text_limit;
pub mod validate;

#[cfg(feature = "hydrate")]
pub use app_failure::show_app_failure_notice;
#[cfg(feature = "hydrate")]
pub use card_styles::{link_card_styles, link_card_styles_on_card_pages};
pub use card_styles::{shows_cards, CARD_STYLESHEET_META};
pub use form::{
    drop_nameless_field, error_posted_to, field_message, latest_save_error, refuse_while_pending, saved_by,
    saves, DeleteButton, ErrorOutsideFields, Field, FieldControl, FieldMessage, FormError, SaveRow,
    SubmitButton, TextField,
};
pub use form_action::{FormAction, PostForm, UntypedAction};
#[cfg(feature = "ssr")]
pub use language::language_name;
pub use layout::{AppNav, ErrorNotice, NotFoundPage, PageHeader};
pub use loaded::{Loaded, SendToLogin, SessionEnded};
pub use page_data::{page_data, PageData};
pub use safe_html::{escape_html, PageTitle, TextArea};
pub use text_limit::TextLimit;

/// "1 card", "3 cards": a count with the noun in the right number.
pub fn plural(count: i64, singular: &str, plural: &str) -> String {
    match count {
        1 => format!("1 {singular}"),
        count => format!("{count} {plural}"),
    }
}

/// At most `max_chars` characters of `text`, with "…" where it was cut.
pub fn shortened(text: &str, max_chars: usize) -> String {
    let mut characters = text.chars();
    let mut short: String = characters.by_ref().take(max_chars).collect();
    if characters.next().is_some() {
        short.push('…');
    }
    short
}

/// Sets the HTTP status of the page being rendered on the server, unless a
/// server function has already sent the page elsewhere (a redirect stays
/// one). In the browser this does nothing: the status only matters to the
/// first response.
pub fn set_page_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        let redirected = response
            .0
            .read()
            .ok()
            .and_then(|parts| parts.status)
            .is_some_and(|status| status.is_redirection());
        if !redirected {
            response.set_status(status);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(plural(1, "card", "cards"), "1 card");
        assert_eq!(plural(0, "card", "cards"), "0 cards");
        assert_eq!(plural(2, "lesson", "lessons"), "2 lessons");
    }
}
