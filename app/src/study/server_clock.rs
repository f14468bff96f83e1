//! The time by the server's clock, as this browser knows it.
//!
//! A review is dated where it is made, and the server refuses one dated more
//! than five minutes after its own clock, or before its card existed
//! (`ALLOWED_CLOCK_SKEW_SECONDS`). So a phone set ten minutes fast had every
//! rating refused until its time came round, and one set a day slow had
//! each rating of a card made today refused for good: the outbox kept
//! them, and kept failing to send them. Instead, the study page measures
//! how far this device's clock is from the server's whenever a queue comes
//! from the server, and dates reviews, and counts due times, by the device's
//! clock corrected by that. The correction is kept in `localStorage` for
//! the offline app, which has no server to ask. A difference under a
//! minute, which the time a page takes to arrive could account for, is
//! left alone: the server allows five.

/// Differences from the server's clock smaller than this are not corrected.
const IGNORED_DIFFERENCE_MS: i64 = 60_000;

/// The correction to apply to a device's clock that read `device_ms` when
/// the server's read `server_ms`.
pub fn correction_ms(server_ms: i64, device_ms: i64) -> i64 {
    let difference = server_ms.saturating_sub(device_ms);
    if difference.abs() < IGNORED_DIFFERENCE_MS {
        0
    } else {
        difference
    }
}

/// The time now, in Unix milliseconds, by the server's clock: on the
/// server itself its own, in a browser the browser's corrected by the last
/// measurement.
pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        device_now_ms().saturating_add(browser::correction_ms())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as i64)
    }
}

/// Learns how far this browser's clock is from the server's, which said
/// just now that it was `server_ms` (a time it sent with a page or a
/// queue). Nothing to learn on the server.
pub fn measure(server_ms: i64) {
    #[cfg(feature = "hydrate")]
    browser::remember(correction_ms(server_ms, device_now_ms()));
    #[cfg(not(feature = "hydrate"))]
    let _ = server_ms;
}

#[cfg(feature = "hydrate")]
fn device_now_ms() -> i64 {
    web_sys::js_sys::Date::now() as i64
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell;

    const STORAGE_KEY: &str = "engram-server-clock-correction-ms";

    thread_local! {
        /// Read from storage the first time it is needed.
        static CORRECTION_MS: Cell<Option<i64>> = const { Cell::new(None) };
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn correction_ms() -> i64 {
        CORRECTION_MS.with(|cached| {
            cached.get().unwrap_or_else(|| {
                let stored = storage()
                    .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
                    .and_then(|text| text.parse().ok())
                    .unwrap_or(0);
                cached.set(Some(stored));
                stored
            })
        })
    }

    pub fn remember(correction_ms: i64) {
        CORRECTION_MS.with(|cached| cached.set(Some(correction_ms)));
        // Without storage (a private window may refuse it) the correction
        // still holds for this page.
        if let Some(storage) = storage() {
            let _ = storage.set_item(STORAGE_KEY, &correction_ms.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_within_a_minute_of_the_server_is_left_alone() {
        assert_eq!(correction_ms(1_000_000_000, 1_000_000_000), 0);
        assert_eq!(correction_ms(1_000_000_000, 1_000_059_999), 0);
        assert_eq!(correction_ms(1_000_059_999, 1_000_000_000), 0);
    }

    #[test]
    fn a_clock_further_off_is_corrected_by_the_whole_difference() {
        let hour = 3_600_000;
        // An hour fast: its readings are taken an hour back.
        assert_eq!(correction_ms(1_000_000_000, 1_000_000_000 + hour), -hour);
        // A day slow: a day on.
        assert_eq!(correction_ms(1_000_000_000 + 24 * hour, 1_000_000_000), 24 * hour);
        assert_eq!(correction_ms(i64::MAX, i64::MIN), i64::MAX);
    }
}
