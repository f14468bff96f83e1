//! `/catalogue`: search public decks and published courses. The search form
//! is a plain GET form, so results have addresses that can be shared, and
//! everything works before (or without) the app's JavaScript.

mod catalogue_search_page;
mod result_row;
mod results;
mod search_form;

pub use catalogue_search_page::CatalogueSearchPage;
