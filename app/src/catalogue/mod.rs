//! The catalogue: public decks and published courses, found by full-text
//! search with typo tolerance, filtered, sorted and paged.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

use crate::routes;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::courses::CourseLevel;

/// Results per page unless the request asks for fewer.
pub const PAGE_SIZE: i64 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    Deck,
    Course,
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CatalogueSort {
    /// Best match first (newest first when nothing is typed).
    #[default]
    Relevance,
    Newest,
    Title,
}

impl CatalogueSort {
    pub const ALL: [CatalogueSort; 3] = [
        CatalogueSort::Relevance,
        CatalogueSort::Newest,
        CatalogueSort::Title,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CatalogueSort::Relevance => "relevance",
            CatalogueSort::Newest => "newest",
            CatalogueSort::Title => "title",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CatalogueSort::Relevance => "Best match",
            CatalogueSort::Newest => "Newest",
            CatalogueSort::Title => "Title A–Z",
        }
    }

    pub fn parse(text: &str) -> Option<CatalogueSort> {
        CatalogueSort::ALL.into_iter().find(|sort| sort.as_str() == text)
    }
}

/// What the learner asked for, as it arrives from the page's address. Every
/// field is text so that a hand-edited URL gets a clear message, not a
/// decoding failure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogueQuery {
    pub q: String,
    pub language: String,
    pub category: String,
    pub level: String,
    pub tag: String,
    pub sort: String,
    /// The cursor of the page to continue after; empty for the first page.
    pub after: String,
}

/// One listed deck or course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub kind: EntryKind,
    pub id: Uuid,
    /// The course's address; empty for decks.
    pub slug: String,
    pub title: String,
    pub description: String,
    pub language: String,
    /// `language` as people read it ("Spanish" for `es`).
    pub language_name: String,
    pub category: String,
    pub level: Option<CourseLevel>,
    pub owner_name: String,
    /// Cards of a deck, lessons of a course.
    pub item_count: i64,
}

impl CatalogueEntry {
    pub fn href(&self) -> String {
        match self.kind {
            EntryKind::Deck => routes::deck(self.id),
            EntryKind::Course => routes::course(&self.slug),
        }
    }
}

/// A language to filter by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageChoice {
    pub tag: String,
    pub name: String,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CataloguePage {
    pub entries: Vec<CatalogueEntry>,
    /// The cursor for the next page, when there is one.
    pub next: Option<String>,
    /// The choices for the filters, from what is listed: languages by
    /// name, with their tags.
    pub languages: Vec<LanguageChoice>,
    pub categories: Vec<String>,
}

/// A title suggested while typing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub kind: EntryKind,
    pub title: String,
    pub href: String,
}
