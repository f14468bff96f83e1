//! What the page says when the app in the browser stops: most often because
//! a page's code could not be fetched (no connection, or a new version
//! replaced the old files). The server-rendered page is still there and its
//! forms still work; this notice says why its buttons may not, and how to
//! carry on.

/// Shown by the panic hook. It is built with plain DOM calls, since the app
/// that would render it has just stopped, and the reload is a link, which
/// needs no script.
#[cfg(feature = "hydrate")]
pub fn show_app_failure_notice() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if document.get_element_by_id("app-failure").is_some() {
        return;
    }
    let (Ok(notice), Ok(message), Ok(reload), Some(body)) = (
        document.create_element("div"),
        document.create_element("span"),
        document.create_element("a"),
        document.body(),
    ) else {
        return;
    };
    notice.set_id("app-failure");
    let _ = notice.set_attribute("role", "alert");
    let _ = notice.set_attribute(
        "class",
        "fixed inset-x-0 top-0 z-50 border-b border-red-300 bg-red-50 px-4 py-3 text-center text-sm text-red-900 shadow dark:border-red-800 dark:bg-red-950 dark:text-red-100",
    );
    message.set_text_content(Some(
        "Part of Engram could not be loaded, so this page may not respond. Check your connection, then ",
    ));
    reload.set_text_content(Some("reload the page"));
    let href = document
        .location()
        .and_then(|location| location.href().ok())
        .unwrap_or_default();
    let _ = reload.set_attribute("href", &href);
    let _ = reload.set_attribute("class", "font-semibold underline");
    let _ = notice.append_child(&message);
    let _ = notice.append_child(&reload);
    let _ = notice.append_with_str_1(".");
    let _ = body.prepend_with_node_1(&notice);
}
