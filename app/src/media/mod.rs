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

/// Why an upload was refused, where the words are always the same (see
/// `store::UploadRefusal`, which also words the refusals that give sizes).
pub const UPLOAD_EMPTY: &str = "The file is empty.";
pub const UPLOAD_DISALLOWED_TYPE: &str = "This kind of file cannot be used. Upload a PNG, JPEG, GIF, WebP or AVIF image, or MP3, Ogg, WAV or M4A audio.";
/// The store could not keep a file (a failure of the server's, logged).
pub const UPLOAD_FAILED: &str = "The file could not be stored. Please try again.";

/// Whether `message` is an upload refusal as `store::UploadRefusal` words
/// it, with sizes (as `store::human_size` writes them) where it gives
/// sizes. A form posted without JavaScript comes back with its error in the
/// address, where anyone could write one: this is how the cover's form tells
/// a refusal of ours from other text (see `ui::form::as_read_from_url`).
pub fn is_upload_refusal(message: &str) -> bool {
    fn is_size(text: &str) -> bool {
        let text = text.strip_prefix("over ").unwrap_or(text);
        let Some((number, unit)) = text.split_once(' ') else {
            return false;
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((number, "0"));
        let digits =
            |part: &str| !part.is_empty() && part.len() <= 20 && part.bytes().all(|b| b.is_ascii_digit());
        digits(whole) && digits(fraction) && matches!(unit, "bytes" | "KiB" | "MiB" | "GiB")
    }
    let too_large = || {
        let (size, limit) = message
            .strip_prefix("The file is ")?
            .strip_suffix('.')?
            .split_once("; the limit is ")?;
        Some(is_size(size) && is_size(limit))
    };
    let over_allowance = || {
        let (size, rest) = message
            .strip_prefix("This file (")?
            .strip_suffix('.')?
            .split_once(") would take you past your upload allowance: you have used ")?;
        let (used, quota) = rest.split_once(" of ")?;
        Some(is_size(size) && is_size(used) && is_size(quota))
    };
    message == UPLOAD_EMPTY
        || message == UPLOAD_DISALLOWED_TYPE
        || message == UPLOAD_FAILED
        || too_large() == Some(true)
        || over_allowance() == Some(true)
}

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
            let alt: String = shown_file_name(description)
                .chars()
                .filter(|c| !matches!(c, '[' | ']'))
                .collect();
            format!("![{alt}]({})", self.url)
        }
    }
}

/// A file's name as the editor shows it and describes an image by it:
/// without control characters, or the marks and overrides that set the
/// direction of text, with which a name such as "photo\u{202E}gnp.exe"
/// shows as "photoexe.png" and turns the text after it around.
pub fn shown_file_name(name: &str) -> String {
    name.chars()
        .filter(|&c| {
            // A one-line text's rule, and the direction marks besides.
            !crate::ui::validate::is_unshowable_in_a_line(c)
                && !matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}')
        })
        .collect()
}

/// An uploaded file's description for its image: its name without the
/// extension.
pub fn description_of_file(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
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
    fn a_file_name_cannot_turn_the_text_around() {
        let name = "we ird <name>\u{202E}gnp.png";
        assert_eq!(shown_file_name(name), "we ird <name>gnp.png");
        let url = format!("/media/{}", "a".repeat(64));
        assert_eq!(
            uploaded("image/png").embed(description_of_file(name)),
            format!("![we ird <name>gnp]({url})")
        );
        assert_eq!(
            shown_file_name("a\u{2067}b\u{2069}\n\u{200F}c\u{0007}.png"),
            "abc.png"
        );
        // Letters of any script, and the joiners within words, stay.
        assert_eq!(shown_file_name("می\u{200C}خواهم.jpg"), "می\u{200C}خواهم.jpg");
        assert_eq!(description_of_file("cat.photo.png"), "cat.photo");
        assert_eq!(description_of_file("cat"), "cat");
    }

    #[test]
    fn only_a_lowercase_sha256_is_an_address() {
        assert!(is_sha256_hex(&"0f".repeat(32)));
        assert!(!is_sha256_hex(&"0F".repeat(32)));
        assert!(!is_sha256_hex("../etc/passwd"));
        assert!(!is_sha256_hex(&"0".repeat(63)));
    }
}
