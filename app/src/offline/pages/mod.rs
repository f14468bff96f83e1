mod connection_banner;
mod install_button;
mod keep_offline;
mod let_go_notice;
// The offline app runs only in the browser (`frontend::mount_offline`).
#[cfg(feature = "hydrate")]
mod offline_app;
#[cfg(feature = "hydrate")]
mod offline_home;
#[cfg(feature = "hydrate")]
mod offline_study_page;
mod unsent_reviews_warning;
mod update_banner;

pub use connection_banner::ConnectionBanner;
pub use install_button::InstallButton;
pub use keep_offline::KeepOffline;
pub use let_go_notice::LetGoNotice;
#[cfg(feature = "hydrate")]
pub use offline_app::OfflineApp;
pub use unsent_reviews_warning::{unsent_reviews, UnsentReviewsWarning};
pub use update_banner::UpdateBanner;

/// A size as people read it: "840 bytes", "12 KB", "3.4 MB".
fn size_label(bytes: usize) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{} KB", bytes.div_ceil(1_000)),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}

/// A moment in this browser's time zone and language, such as "30/11/2026, 09:12".
fn time_label(unix_ms: f64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_ms));
        let options = js_sys::Object::new();
        for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        String::from(date.to_locale_string("default", &options))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        // Only ever shown in the browser.
        let _ = unix_ms;
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::size_label;

    #[test]
    fn sizes_read_as_bytes_kilobytes_or_megabytes() {
        assert_eq!(size_label(840), "840 bytes");
        assert_eq!(size_label(12_345), "13 KB");
        assert_eq!(size_label(3_400_000), "3.4 MB");
    }
}
