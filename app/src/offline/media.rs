//! Pictures and sound of the decks kept offline. They live in the service
//! worker's media cache, which answers every `/media/…` request before the
//! network does (`scripts/build-service-worker.mjs`), so a card studied
//! offline shows them as it does online. Media are named by their content's
//! hash: a cached copy is never stale, and decks share them.

use std::collections::BTreeSet;

use crate::study::StudyQueue;

/// The service worker's media cache, by the name Workbox gives it.
pub const MEDIA_CACHE: &str = "engram-media";

const MEDIA_PREFIX: &str = "/media/";
const HASH_LENGTH: usize = 64;

/// The media the queue's cards show: every `/media/<sha-256>` address in
/// their HTML (images, sound, and the links the sanitiser kept).
pub fn media_addresses(queue: &StudyQueue) -> BTreeSet<String> {
    let mut addresses = BTreeSet::new();
    for card in &queue.cards {
        for html in [&card.front_html, &card.back_html] {
            for (start, _) in html.match_indices(MEDIA_PREFIX) {
                let hash = &html.as_bytes()[start + MEDIA_PREFIX.len()..];
                let is_hex = |byte: &u8| byte.is_ascii_digit() || (b'a'..=b'f').contains(byte);
                let whole_hash = hash.len() >= HASH_LENGTH
                    && hash[..HASH_LENGTH].iter().all(is_hex)
                    && !hash.get(HASH_LENGTH).is_some_and(u8::is_ascii_alphanumeric);
                if whole_hash {
                    addresses.insert(html[start..start + MEDIA_PREFIX.len() + HASH_LENGTH].to_owned());
                }
            }
        }
    }
    addresses
}

#[cfg(feature = "hydrate")]
pub use browser::{forget_unused_media, keep_media};

#[cfg(feature = "hydrate")]
mod browser {
    use std::collections::BTreeSet;

    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Cache, Response};

    use super::{media_addresses, MEDIA_CACHE, MEDIA_PREFIX};
    use crate::offline::store;

    fn failed(error: JsValue) -> String {
        format!("This browser's storage failed: {error:?}")
    }

    async fn open_cache() -> Result<Cache, String> {
        let window = web_sys::window().ok_or("no browser window")?;
        let caches = window.caches().map_err(failed)?;
        Ok(JsFuture::from(caches.open(MEDIA_CACHE))
            .await
            .map_err(failed)?
            .unchecked_into())
    }

    /// Downloads into the media cache whichever of `addresses` it lacks,
    /// calling `progress(done, total)` as it goes; answers what they all
    /// weigh. A file the server no longer has is left out: its card shows
    /// without it, as it would online.
    pub async fn keep_media(
        addresses: &BTreeSet<String>,
        progress: impl Fn(usize, usize),
    ) -> Result<f64, String> {
        let window = web_sys::window().ok_or("no browser window")?;
        let cache = open_cache().await?;
        let mut bytes = 0.0;
        for (done, address) in addresses.iter().enumerate() {
            progress(done, addresses.len());
            let cached = JsFuture::from(cache.match_with_str(address))
                .await
                .map_err(failed)?;
            let response: Response = if cached.is_undefined() {
                let fetched: Response = JsFuture::from(window.fetch_with_str(address))
                    .await
                    .map_err(|_| {
                        "The deck's pictures and sound could not be downloaded: check the connection."
                    })?
                    .unchecked_into();
                if !fetched.ok() {
                    continue;
                }
                let copy = fetched.clone().map_err(failed)?;
                JsFuture::from(cache.put_with_str(address, &copy))
                    .await
                    .map_err(failed)?;
                fetched
            } else {
                cached.unchecked_into()
            };
            bytes += size_of(&response).await;
        }
        progress(addresses.len(), addresses.len());
        Ok(bytes)
    }

    async fn size_of(response: &Response) -> f64 {
        let length = response
            .headers()
            .get("content-length")
            .ok()
            .flatten()
            // Read as a whole number: parsing an f64 would bring the float
            // parser and its tables (10 KB as served) into the study page.
            .and_then(|length| length.parse::<u64>().ok());
        if let Some(length) = length {
            return length as f64;
        }
        match response.blob() {
            Ok(blob) => JsFuture::from(blob)
                .await
                .map(|blob| blob.unchecked_into::<web_sys::Blob>().size())
                .unwrap_or(0.0),
            Err(_) => 0.0,
        }
    }

    /// Removes from the media cache every file that no deck kept on this
    /// browser (by anyone) shows: after a deck is removed, and at sign-out,
    /// when what the learner viewed online goes too.
    pub async fn forget_unused_media() -> Result<(), String> {
        let mut used = BTreeSet::new();
        for deck in store::all_decks().await? {
            if let Ok(queue) = deck.queue() {
                used.extend(media_addresses(&queue));
            }
        }
        let cache = open_cache().await?;
        let requests: js_sys::Array = JsFuture::from(cache.keys())
            .await
            .map_err(failed)?
            .unchecked_into();
        for request in requests.iter() {
            let request: web_sys::Request = request.unchecked_into();
            let url = request.url();
            let address = url.find(MEDIA_PREFIX).map(|start| &url[start..]);
            if !address.is_some_and(|address| used.contains(address)) {
                JsFuture::from(cache.delete_with_request(&request))
                    .await
                    .map_err(failed)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::{
        preset::StudyPreset, scheduler::CardState, scheduler::DayClock, StudyCard, StudyQueue,
    };
    use uuid::Uuid;

    #[test]
    fn finds_each_media_address_once_and_nothing_that_only_looks_like_one() {
        let hash = "ab".repeat(32);
        let other = "0f".repeat(32);
        let card = |front: String, back: String| StudyCard {
            id: Uuid::new_v4(),
            note_id: Uuid::new_v4(),
            front_html: front,
            back_html: back,
            state: CardState::new_card(0),
            type_answer: None,
        };
        let queue = StudyQueue {
            cards: vec![
                card(
                    format!(r#"<img src="/media/{hash}" alt="water">"#),
                    format!(r#"<audio src="/media/{other}"></audio><img src="/media/{hash}">"#),
                ),
                card(
                    // Too short, upper case, and too long: not media addresses.
                    format!(
                        "/media/{} /media/{} /media/{hash}0",
                        &hash[..10],
                        hash.to_uppercase()
                    ),
                    String::new(),
                ),
            ],
            deck_id: Uuid::nil(),
            deck_title: "Chemistry".into(),
            learner_id: Uuid::nil(),
            generated_at: 0,
            studied_today: Default::default(),
            preset: StudyPreset::default(),
            clock: DayClock::UTC,
        };
        assert_eq!(
            media_addresses(&queue).into_iter().collect::<Vec<_>>(),
            [format!("/media/{other}"), format!("/media/{hash}")]
        );
    }
}
