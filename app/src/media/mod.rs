//! Images and audio on cards, lessons and course covers.
//!
//! Files are content-addressed: stored under the sha256 of their bytes, so
//! a file uploaded twice is kept once and a `/media/<sha256>` address never
//! changes meaning (which also lets browsers cache it forever). The type is
//! sniffed from the bytes; what the client claims is ignored.

pub mod editor;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "hydrate")]
pub mod upload;

use serde::{Deserialize, Serialize};

/// The note form's file control when JavaScript is off, and the field its
/// errors are reported on (see `http::attach_to_note`).
pub const FORM_FILE_FIELD: &str = "media";

/// What an upload answers: where the file lives and how to embed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedMedia {
    pub sha256: String,
    pub url: String,
    pub content_type: String,
    pub byte_size: u64,
}

impl UploadedMedia {
    pub fn is_audio(&self) -> bool {
        self.content_type.starts_with("audio/")
    }

    /// The text to put in a field: Markdown for an image, an `<audio>`
    /// element (kept by the sanitiser) for sound.
    pub fn embed(&self, description: &str) -> String {
        if self.is_audio() {
            format!("<audio controls src=\"{}\"></audio>", self.url)
        } else {
            let alt: String = description
                .chars()
                .filter(|c| !matches!(c, '[' | ']' | '\n' | '\r'))
                .collect();
            format!("![{alt}]({})", self.url)
        }
    }
}

/// The types Engram accepts, as sniffed from the bytes. SVG is left out on
/// purpose: it can carry script.
pub const ALLOWED_TYPES: [&str; 9] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
    "audio/mpeg",
    "audio/ogg",
    "audio/x-wav",
    "audio/m4a",
];

/// Whether `text` is a sha256 in lowercase hex, the only shape a media
/// address may take.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uploaded(content_type: &str) -> UploadedMedia {
        UploadedMedia {
            sha256: "a".repeat(64),
            url: format!("/media/{}", "a".repeat(64)),
            content_type: content_type.to_owned(),
            byte_size: 10,
        }
    }

    #[test]
    fn images_embed_as_markdown_and_sound_as_an_audio_element() {
        let url = format!("/media/{}", "a".repeat(64));
        assert_eq!(uploaded("image/png").embed("a [cat]"), format!("![a cat]({url})"));
        assert_eq!(
            uploaded("audio/mpeg").embed("x"),
            format!("<audio controls src=\"{url}\"></audio>")
        );
    }

    #[test]
    fn only_a_lowercase_sha256_is_an_address() {
        assert!(is_sha256_hex(&"0f".repeat(32)));
        assert!(!is_sha256_hex(&"0F".repeat(32)));
        assert!(!is_sha256_hex("../etc/passwd"));
        assert!(!is_sha256_hex(&"0".repeat(63)));
    }
}
