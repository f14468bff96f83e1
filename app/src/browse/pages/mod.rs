//! `/browse`: a table of the signed-in user's cards. The search is a plain
//! GET form and the column headers are links, so every view has an address
//! and works without JavaScript; the bulk actions are one form whose
//! buttons name the action.

mod browse_cards_page;
mod bulk_toolbar;
mod card_table;
mod card_table_row;
mod search_form;

pub use browse_cards_page::BrowseCardsPage;
