//! UI pieces shared by every feature: form fields, notices, the page frame.

mod form;
mod layout;
mod safe_html;

pub use form::{
    field_message, latest_save_error, FieldMessage, FormError, SubmitButton, TextField, INPUT_CLASS,
    LABEL_CLASS, PANEL_CLASS,
};
pub use layout::{AppNav, ErrorNotice, NotFoundPage, PageHeader};
pub use safe_html::{escape_html, PageTitle, TextArea};

/// Sets the HTTP status of the page being rendered on the server. In the
/// browser this does nothing: the status only matters to the first response.
pub fn set_page_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}
