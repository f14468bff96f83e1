use crate::study::session::{compare_typed_answer, AnswerPart};
use leptos::prelude::*;

fn parts_view(parts: Vec<AnswerPart>) -> impl IntoView {
    parts
        .into_iter()
        .map(|part| match part {
            AnswerPart::Right(text) => {
                view! { <span class="text-green-800 dark:text-green-300">{text}</span> }.into_any()
            }
            AnswerPart::Wrong(text) => {
                view! { <del class="bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200">{text}</del> }
                    .into_any()
            }
            AnswerPart::Missing(text) => view! {
                <ins class="bg-amber-100 text-amber-900 no-underline dark:bg-amber-950 dark:text-amber-200">
                    {text}
                </ins>
            }
            .into_any(),
        })
        .collect_view()
}

/// What the learner typed against the answer, character by character:
/// wrong characters struck through, missing ones marked, as in Anki.
#[component]
pub fn TypedAnswer(expected: String, typed: String) -> impl IntoView {
    let correct = expected.trim() == typed.trim();
    let (typed_line, expected_line) = compare_typed_answer(&expected, &typed);
    view! {
        <div class="panel mt-4 font-mono text-lg" data-testid="typed-answer">
            {if correct {
                view! {
                    <p class="font-sans text-green-800 dark:text-green-300" data-testid="typed-correct">
                        {format!("✓ {}", expected.trim())}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <p>
                        <span class="sr-only">"You typed: "</span>
                        {if typed.trim().is_empty() {
                            view! {
                                <span class="font-sans text-slate-500 dark:text-slate-400">
                                    "(nothing typed)"
                                </span>
                            }
                                .into_any()
                        } else {
                            parts_view(typed_line).into_any()
                        }}
                    </p>
                    <p aria-hidden="true" class="text-slate-400">
                        "↓"
                    </p>
                    <p>
                        <span class="sr-only">"The answer: "</span>
                        {parts_view(expected_line)}
                    </p>
                }
                    .into_any()
            }}
        </div>
    }
    .into_any()
}
