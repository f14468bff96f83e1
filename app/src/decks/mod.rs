//! Decks: named collections of notes and their cards, owned by one account.

#[cfg(feature = "ssr")]
pub mod access;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    auth::{Role, User},
    error::AppError,
    ui::validate::{self, FieldErrors},
};

/// Who may see a deck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "deck_visibility", rename_all = "lowercase")
)]
#[serde(rename_all = "lowercase")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum Visibility {
    /// Only its owner (and admins).
    #[default]
    Private,
    /// Anyone with the link; not listed in the catalogue.
    Unlisted,
    /// Anyone; listed in the catalogue.
    Public,
}

impl Visibility {
    /// The name used in forms, addresses and the database.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Private => "Private: only you",
            Visibility::Unlisted => "Unlisted: anyone with the link",
            Visibility::Public => "Public: listed in the catalogue",
        }
    }
}

/// A deck as listed on the dashboard, under its parent, or in a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckSummary {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    /// The cards in this deck and in the subdecks under it that the viewer
    /// may see (SQL `deck_tree_card_count`): the one meaning of a deck's
    /// card count everywhere.
    pub card_count_with_subdecks: i64,
}

/// The `saved` value in a deck page's address after its settings were saved
/// by a form posted without JavaScript.
pub const DECK_SETTINGS_SAVED: &str = "deck";

/// A deck with what its page shows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deck {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub title: String,
    pub description: String,
    pub language: String,
    pub visibility: Visibility,
    pub parent_id: Option<Uuid>,
    /// As [`DeckSummary::card_count_with_subdecks`].
    pub card_count_with_subdecks: i64,
    /// Notes in this deck itself (its page lists them a page at a time).
    pub note_count: i64,
}

impl Deck {
    /// Private decks are seen by their owner and admins only.
    pub fn is_visible_to(&self, viewer: Option<&User>) -> bool {
        self.visibility != Visibility::Private || viewer.is_some_and(|viewer| self.is_editable_by(viewer))
    }

    /// Only the owner or an admin changes a deck.
    pub fn is_editable_by(&self, viewer: &User) -> bool {
        viewer.id == self.owner_id || viewer.role == Role::Admin
    }
}

/// The lesson a deck was opened from, for the deck page's way back: the
/// `from` query parameter that a lesson's deck links carry. Only a lesson's
/// own address on this site is accepted (`/courses/<slug>/lessons/<id>`),
/// so the link can never lead to another site (`//evil.example`,
/// `https://…`, `/\\evil.example`) or run script (`javascript:`).
pub fn lesson_to_return_to(from: &str) -> Option<&str> {
    let rest = from.strip_prefix("/courses/")?;
    let mut parts = rest.split('/');
    let (slug, lessons, lesson_id) = (parts.next()?, parts.next()?, parts.next()?);
    let slug_ok = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (slug_ok && lessons == "lessons" && Uuid::parse_str(lesson_id).is_ok() && parts.next().is_none())
        .then_some(from)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckInput {
    pub title: String,
    pub description: String,
    pub language: String,
    pub visibility: Visibility,
    /// The parent deck's id, or empty for a top-level deck.
    pub parent_id: Option<String>,
}

/// A deck's settings after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDeck {
    pub title: String,
    pub description: String,
    pub language: String,
    pub visibility: Visibility,
    pub parent_id: Option<Uuid>,
}

impl DeckInput {
    /// Checks every field, reporting all problems at once.
    pub fn parse(&self) -> Result<ValidDeck, AppError> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", validate::title(&self.title, "deck"));
        let description = errors.check("description", validate::description(&self.description));
        let language = errors.check("language", validate::language(&self.language));
        let parent_id = match self.parent_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Uuid::parse_str(text)
                .inspect_err(|_| errors.add("parent_id", "Choose a parent deck from the list."))
                .ok(),
        };
        errors.into_result(ValidDeck {
            title,
            description,
            language,
            visibility: self.visibility,
            parent_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> User {
        User {
            id: Uuid::new_v4(),
            email: "x@example.org".into(),
            display_name: "X".into(),
            role,
        }
    }

    fn deck_of(owner: &User, visibility: Visibility) -> Deck {
        Deck {
            id: Uuid::new_v4(),
            owner_id: owner.id,
            owner_name: owner.display_name.clone(),
            title: "T".into(),
            description: String::new(),
            language: String::new(),
            visibility,
            parent_id: None,
            card_count_with_subdecks: 0,
            note_count: 0,
        }
    }

    #[test]
    fn a_private_deck_is_seen_only_by_its_owner_and_admins() {
        let owner = user(Role::Teacher);
        let deck = deck_of(&owner, Visibility::Private);
        assert!(deck.is_visible_to(Some(&owner)));
        assert!(deck.is_visible_to(Some(&user(Role::Admin))));
        assert!(!deck.is_visible_to(Some(&user(Role::Teacher))));
        assert!(!deck.is_visible_to(None));
    }

    #[test]
    fn an_unlisted_deck_is_seen_by_anyone_but_edited_only_by_its_owner() {
        let owner = user(Role::Learner);
        let deck = deck_of(&owner, Visibility::Unlisted);
        let stranger = user(Role::Teacher);
        assert!(deck.is_visible_to(None));
        assert!(!deck.is_editable_by(&stranger));
        assert!(deck.is_editable_by(&owner));
    }

    #[test]
    fn only_a_lesson_on_this_site_is_a_way_back() {
        let lesson = "/courses/chemistry-essentials/lessons/6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f";
        assert_eq!(lesson_to_return_to(lesson), Some(lesson));
        for refused in [
            "",
            "//evil.example/courses/x/lessons/6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f",
            "https://evil.example/",
            "javascript:alert(1)",
            "/\\evil.example",
            "/courses/x/lessons/not-an-id",
            "/courses//lessons/6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f",
            "/courses/x/lessons/6f1c2d4e-8a7b-4c3d-9e0f-1a2b3c4d5e6f/../../../logout",
            "/dashboard",
        ] {
            assert_eq!(lesson_to_return_to(refused), None, "{refused}");
        }
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn a_deck_needs_a_title() {
        let error = DeckInput {
            title: "  ".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert!(error.field_message("title").is_some());
    }

    #[test]
    fn an_empty_parent_means_a_top_level_deck() {
        let input = DeckInput {
            title: "Verbs".into(),
            parent_id: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(input.parse().unwrap().parent_id, None);
    }

    #[test]
    fn a_language_code_cannot_carry_markup() {
        let input = DeckInput {
            title: "x".into(),
            language: "<b>es</b>".into(),
            ..Default::default()
        };
        assert!(input.parse().unwrap_err().field_message("language").is_some());
    }
}
