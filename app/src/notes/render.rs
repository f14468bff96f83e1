//! A note's fields to its stored cards, and where that work runs.
//!
//! Rendering is CPU work (Markdown, formulas, highlighting, sanitising) that
//! a note's author controls: a cloze note with 100 deletions renders its text
//! 200 times. So it never runs on the async workers, which must stay free to
//! answer every other request; [`NoteRenderer`] runs it on tokio's blocking
//! pool, a bounded number of notes at a time, and limits how often one
//! person may ask for a preview. The caps in [`crate::note_types::template`] bound the
//! work each note can cause.

use std::{num::NonZeroU32, sync::Arc, time::Duration};

use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::MAX_FIELD_BYTES;
use crate::note_types::{
    builtin::BuiltinNoteType,
    template::{generate_cards, CardGenerationError, GeneratedCard, NoteShape, OversizedCard},
};
use crate::{
    content::{render_markdown, sanitise_html},
    error::AppError,
};

/// Why a note's fields could not become cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteRenderError {
    /// Reported on the note's fields: a field too long or with a broken
    /// formula, or (on the first field, which decides what is asked) a note
    /// that makes no card, malformed cloze or cards too large in all.
    Fields(AppError),
    /// One side of one card passed `MAX_CARD_SIDE_BYTES`. A note's author
    /// sees it on the first field; a note type's author on the template.
    CardTooLarge {
        first_field: String,
        card: OversizedCard,
    },
}

impl From<NoteRenderError> for AppError {
    fn from(error: NoteRenderError) -> AppError {
        match error {
            NoteRenderError::Fields(error) => error,
            NoteRenderError::CardTooLarge { first_field, card } => {
                AppError::field(&first_field, card.to_string())
            }
        }
    }
}

/// [`render_note`] for a built-in note type.
pub fn render_cards(note_type: BuiltinNoteType, fields: &[String]) -> Result<Vec<GeneratedCard>, AppError> {
    render_note(&note_type.shape(), fields)
}

/// Validates and renders a note's fields into its cards. Every problem is
/// reported against the field that causes it.
///
/// This is the CPU-bound work: on a server, call it through
/// [`NoteRenderer::run`].
pub fn render_note(shape: &NoteShape, fields: &[String]) -> Result<Vec<GeneratedCard>, AppError> {
    try_render_note(shape, fields).map_err(AppError::from)
}

/// [`render_note`] for a note an author saves or previews: an image from
/// another site, which would show as nothing, is refused beside its field.
/// (Notes stored before keep rendering, through [`render_note`], when their
/// note type changes.)
pub fn render_authored_note(shape: &NoteShape, fields: &[String]) -> Result<Vec<GeneratedCard>, AppError> {
    for (name, value) in shape.fields.iter().zip(fields) {
        // A field too long to store, or with a NUL, is refused by the
        // rendering with its own message, and is not read here.
        if value.len() > MAX_FIELD_BYTES || value.contains('\0') {
            continue;
        }
        if let Some(elsewhere) = crate::content::from_elsewhere(value) {
            let message = elsewhere.message(
                "Add the image itself instead: Add image or audio, or drop or paste the file into the field.",
            );
            return Err(AppError::field(name, message));
        }
    }
    render_note(shape, fields)
}

/// [`render_note`], telling an oversized card apart so that a note type's
/// editor can put the message on the template that makes it.
pub fn try_render_note(shape: &NoteShape, fields: &[String]) -> Result<Vec<GeneratedCard>, NoteRenderError> {
    crate::content::with_one_highlight_budget(|| render_note_cards(shape, fields))
}

fn render_note_cards(shape: &NoteShape, fields: &[String]) -> Result<Vec<GeneratedCard>, NoteRenderError> {
    if fields.len() != shape.fields.len() {
        return Err(NoteRenderError::Fields(AppError::BadRequest(format!(
            "this note type has {} fields, not {}",
            shape.fields.len(),
            fields.len()
        ))));
    }
    let field_error = |name: &str, message: String| NoteRenderError::Fields(AppError::field(name, message));
    // Each field is rendered once here; card generation reuses the result
    // (a highlighted code block costs a quarter of a millisecond).
    let mut rendered_fields = std::collections::HashMap::with_capacity(fields.len());
    for (name, value) in shape.fields.iter().zip(fields) {
        if value.contains('\0') {
            return Err(field_error(
                name,
                "This field contains a character that cannot be stored.".into(),
            ));
        }
        if value.len() > MAX_FIELD_BYTES {
            return Err(field_error(
                name,
                format!("This field is too long: at most {} KiB.", MAX_FIELD_BYTES / 1024),
            ));
        }
        // Rendering each field first ties a broken formula to its field.
        let html = render_markdown(value).map_err(|error| field_error(name, error.0))?;
        rendered_fields.insert(value.as_str(), html);
    }
    let render = |text: &str| match rendered_fields.get(text) {
        Some(html) => Ok(html.clone()),
        None => render_markdown(text),
    };
    let first_field = &shape.fields[0];
    // Card-level problems (no card, malformed cloze) concern the first
    // field: the one that decides what is asked.
    let mut cards = generate_cards(shape, fields, render).map_err(|error| match error {
        CardGenerationError::CardTooLarge(card) => NoteRenderError::CardTooLarge {
            first_field: first_field.clone(),
            card,
        },
        other => field_error(first_field, other.to_string()),
    })?;
    // Templates are text too: sanitise the filled result, not only the
    // fields. Sanitising can only change the template's own markup (the
    // fields are sanitised already), so the caps still hold to within a few
    // times the 16 KiB a template may have.
    for card in &mut cards {
        for html in [&card.front_html, &card.back_html] {
            crate::content::check_nesting(html).map_err(|error| field_error(first_field, error.0))?;
        }
        card.front_html = sanitise_html(&card.front_html);
        card.back_html = sanitise_html(&card.back_html);
        for html in [&card.front_html, &card.back_html] {
            crate::content::check_nesting(html).map_err(|error| field_error(first_field, error.0))?;
        }
    }
    Ok(cards)
}

/// How much rendering one server process does at a time, and how often one
/// person may preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderSettings {
    /// Notes rendered at once, each on a blocking thread.
    pub concurrent_renders: usize,
    /// Previews one account may ask for per minute, on average.
    pub previews_per_minute: u32,
    /// Previews one account may ask for in a quick burst.
    pub preview_burst: u32,
}

impl Default for RenderSettings {
    fn default() -> RenderSettings {
        RenderSettings {
            // One render per core: more would only queue inside the OS.
            concurrent_renders: std::thread::available_parallelism().map_or(2, |cores| cores.get()),
            // The editor previews about a second after typing stops, so a
            // person typing steadily stays well within a preview a second.
            previews_per_minute: 60,
            preview_burst: 10,
        }
    }
}

/// Runs note rendering off the async workers and rate-limits previews. Held
/// in `AppState`; clones share the same permits and limits.
#[derive(Clone)]
pub struct NoteRenderer {
    permits: Arc<Semaphore>,
    previews: Arc<DefaultKeyedRateLimiter<Uuid>>,
}

/// Past this many accounts with preview state, entries for accounts whose
/// bucket has refilled are dropped, so the map cannot grow without bound.
const PREVIEW_STATE_PRUNE_AT: usize = 10_000;

impl NoteRenderer {
    pub fn new(settings: RenderSettings) -> NoteRenderer {
        let per_minute = NonZeroU32::new(settings.previews_per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(settings.preview_burst).unwrap_or(NonZeroU32::MIN);
        NoteRenderer {
            permits: Arc::new(Semaphore::new(settings.concurrent_renders.max(1))),
            previews: Arc::new(DefaultKeyedRateLimiter::hashmap(
                Quota::per_minute(per_minute).allow_burst(burst),
            )),
        }
    }

    /// Runs `work` on the blocking pool once one of the rendering permits is
    /// free. Waiting for a permit is asynchronous, so a queue of renders
    /// holds no thread.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(AppError::internal)
    }

    /// Counts a preview by `user_id`, or says how long to wait when they
    /// have used up their previews.
    pub fn allow_preview(&self, user_id: Uuid) -> Result<(), AppError> {
        let outcome = self.previews.check_key(&user_id);
        if self.previews.len() > PREVIEW_STATE_PRUNE_AT {
            self.previews.retain_recent();
        }
        outcome.map_err(|not_until| {
            let wait = not_until.wait_time_from(self.previews.clock().now());
            AppError::TooManyRequests {
                retry_after_secs: wait.max(Duration::from_secs(1)).as_secs_f64().ceil() as u64,
            }
        })
    }
}

impl Default for NoteRenderer {
    fn default() -> NoteRenderer {
        NoteRenderer::new(RenderSettings::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_basic_note_renders_markdown_on_both_sides() {
        let cards = render_cards(BuiltinNoteType::Basic, &["**hola**".into(), "hello".into()]).unwrap();
        assert_eq!(cards.len(), 1);
        assert!(cards[0].front_html.contains("<strong>hola</strong>"));
        assert!(cards[0].back_html.contains("<hr>"));
    }

    #[test]
    fn a_cloze_with_a_formula_renders_mathml_and_hides_the_deletion() {
        let text = r"Energy: {{c1::$E = mc^2$}} (Einstein, {{c2::1905}})";
        let cards = render_cards(BuiltinNoteType::Cloze, &[text.into(), String::new()]).unwrap();
        assert_eq!(cards.len(), 2);
        assert!(cards[0].front_html.contains("[...]"), "{}", cards[0].front_html);
        assert!(cards[0].back_html.contains("<math"), "{}", cards[0].back_html);
        assert!(cards[1].front_html.contains("<math"), "{}", cards[1].front_html);
    }

    #[test]
    fn an_oversized_field_is_a_field_error() {
        let huge = "a".repeat(MAX_FIELD_BYTES + 1);
        let error = render_cards(BuiltinNoteType::Basic, &["ok".into(), huge]).unwrap_err();
        assert!(error.field_message("Back").unwrap().contains("64 KiB"));
    }

    #[test]
    fn malformed_cloze_is_reported_on_the_text_field() {
        let error = render_cards(
            BuiltinNoteType::Cloze,
            &["{{c1::never closed".into(), String::new()],
        )
        .unwrap_err();
        assert!(error.field_message("Text").unwrap().contains("never closed"));
    }

    #[test]
    fn a_broken_formula_is_reported_on_its_field() {
        let error = render_cards(BuiltinNoteType::Basic, &["fine".into(), r"$\frac{1}$".into()]).unwrap_err();
        assert!(error.field_message("Back").is_some());
    }

    #[test]
    fn an_empty_note_is_a_field_error() {
        let error = render_cards(BuiltinNoteType::Basic, &[String::new(), String::new()]).unwrap_err();
        assert!(error.field_message("Front").unwrap().contains("no card"));
    }

    #[test]
    fn a_note_with_too_many_cloze_numbers_is_refused() {
        let text: String = (1..=101).map(|n| format!("{{{{c{n}::x}}}} ")).collect();
        let error = render_cards(BuiltinNoteType::Cloze, &[text, String::new()]).unwrap_err();
        assert!(error.field_message("Text").unwrap().contains("at most 100 cards"));
    }

    #[test]
    fn a_nul_character_is_a_field_error() {
        let error = render_cards(BuiltinNoteType::Basic, &["a\0b".into(), "x".into()]).unwrap_err();
        assert!(error.field_message("Front").is_some());
    }

    #[test]
    fn a_template_that_repeats_a_large_field_is_refused_naming_the_card() {
        let shape = NoteShape {
            kind: crate::note_types::template::NoteKind::Standard,
            fields: vec!["Word".into()],
            templates: vec![crate::note_types::template::CardTemplate {
                name: "Recognise".into(),
                front: "{{Word}}".repeat(64),
                back: "{{FrontSide}}".repeat(64),
            }],
        };
        let field = "word ".repeat(MAX_FIELD_BYTES / 5);
        let error = try_render_note(&shape, &[field]).unwrap_err();
        let NoteRenderError::CardTooLarge { first_field, card } = &error else {
            panic!("expected CardTooLarge, got {error:?}");
        };
        assert_eq!((first_field.as_str(), card.template_index), ("Word", 0));
        let message = AppError::from(error.clone()).field_message("Word").unwrap();
        assert!(message.contains("“Recognise” would be too large"), "{message}");
        assert!(message.contains("256 KiB"), "{message}");
    }

    #[test]
    fn a_cloze_with_a_hundred_deletions_and_large_formulas_is_refused() {
        // The note that once took 14 s of CPU and answered 61.6 MB.
        let formulas = r"$\frac{a^2 + b^2}{\sqrt{c_1 + d_2}}$ ".repeat(1500);
        let deletions: String = (1..=100).map(|n| format!("{{{{c{n}::x{n}}}}} ")).collect();
        let text = deletions + &formulas;
        assert!(text.len() <= MAX_FIELD_BYTES, "{}", text.len());
        let error = render_cards(BuiltinNoteType::Cloze, &[text, String::new()]).unwrap_err();
        let message = error.field_message("Text").unwrap();
        assert!(message.contains("too large"), "{message}");
    }

    #[tokio::test]
    async fn previews_past_the_burst_are_refused_with_a_wait() {
        let renderer = NoteRenderer::new(RenderSettings {
            concurrent_renders: 1,
            previews_per_minute: 6,
            preview_burst: 2,
        });
        let (ada, grace) = (Uuid::new_v4(), Uuid::new_v4());
        assert!(renderer.allow_preview(ada).is_ok());
        assert!(renderer.allow_preview(ada).is_ok());
        let Err(AppError::TooManyRequests { retry_after_secs }) = renderer.allow_preview(ada) else {
            panic!("the third preview in a burst of two is refused");
        };
        assert!((1..=10).contains(&retry_after_secs), "{retry_after_secs}");
        assert!(
            renderer.allow_preview(grace).is_ok(),
            "each account has its own bucket"
        );
    }

    #[tokio::test]
    async fn a_render_runs_on_the_blocking_pool_and_returns_its_cards() {
        let renderer = NoteRenderer::new(RenderSettings {
            concurrent_renders: 1,
            ..RenderSettings::default()
        });
        let cards = renderer
            .run(|| render_cards(BuiltinNoteType::Basic, &["hola".into(), "hello".into()]))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cards.len(), 1);
    }

    #[test]
    fn script_in_a_field_is_removed() {
        let cards = render_cards(
            BuiltinNoteType::Basic,
            &["<script>alert(1)</script>Hi".into(), "x".into()],
        )
        .unwrap();
        assert!(!cards[0].front_html.contains("<script"));
    }
}
