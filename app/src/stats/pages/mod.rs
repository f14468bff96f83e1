//! The statistics page and its parts: one chart or table per file.

mod bar_chart;
mod deck_selector;
mod forecast_chart;
mod memory_charts;
mod no_reviews_yet;
mod retention_table;
mod review_heatmap;
mod statistics_page;
mod statistics_view;
mod today_summary;

pub use statistics_page::StatisticsPage;
