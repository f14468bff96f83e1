//! Criterion benchmarks of the work done each time a note is saved or
//! previewed: Markdown, formulas and code to sanitised HTML, and a note's
//! fields to its cards. `make bench` runs them; the figures are in the README.

use std::hint::black_box;

use app::{
    browse::query::parse_card_query,
    content::{render_markdown, sanitise_html},
    note_types::{builtin::BuiltinNoteType, cloze::cloze_numbers},
    notes::render_cards,
};
use criterion::{criterion_group, criterion_main, Criterion};

const PLAIN: &str = "**el gato** — *the cat*. A short answer with a [link](https://example.org).";
const FORMULA: &str = r"The roots of $ax^2 + bx + c = 0$ are $$x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}$$";
const CODE: &str = "Ownership moves:\n\n```rust\nfn main() {\n    let s = String::from(\"hi\");\n    let t = s;\n    println!(\"{t}\");\n}\n```\n";
const CLOZE: &str =
    r"{{c1::Mitochondria}} make {{c2::ATP}} by {{c3::oxidative phosphorylation::process}}; $\Delta G < 0$";
const XSS: &str = r#"<IMG SRC="javascript:alert('XSS');"><svg/onload=alert(1)><a href="jav&#x09;ascript:alert(1)">x</a><p>kept</p>"#;

fn content(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_markdown");
    group.bench_function("plain text", |b| b.iter(|| render_markdown(black_box(PLAIN))));
    group.bench_function("formulas", |b| b.iter(|| render_markdown(black_box(FORMULA))));
    group.bench_function("code block", |b| b.iter(|| render_markdown(black_box(CODE))));
    group.finish();
    c.bench_function("sanitise_html/XSS vectors", |b| {
        b.iter(|| sanitise_html(black_box(XSS)))
    });
}

fn notes(c: &mut Criterion) {
    let basic = [PLAIN.to_owned(), FORMULA.to_owned()];
    let cloze = [CLOZE.to_owned(), CODE.to_owned()];
    let mut group = c.benchmark_group("render_cards");
    group.bench_function("Basic, formula on the back", |b| {
        b.iter(|| render_cards(BuiltinNoteType::Basic, black_box(&basic)))
    });
    group.bench_function("Cloze, three deletions", |b| {
        b.iter(|| render_cards(BuiltinNoteType::Cloze, black_box(&cloze)))
    });
    group.finish();
    c.bench_function("cloze_numbers", |b| b.iter(|| cloze_numbers(black_box(CLOZE))));
    c.bench_function("parse_card_query", |b| {
        b.iter(|| parse_card_query(black_box(r#"deck:Span* "buenos días" -tag:easy is:due gato"#)))
    });
}

criterion_group!(benches, content, notes);
criterion_main!(benches);
