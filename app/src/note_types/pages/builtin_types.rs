use crate::note_types::builtin::BuiltinNoteType;
use leptos::prelude::*;

#[component]
pub(crate) fn BuiltinTypes() -> impl IntoView {
    view! {
        <section aria-labelledby="builtin-types-heading" class="mb-8">
            <h2 id="builtin-types-heading" class="mb-3 text-lg font-semibold">
                "Built in"
            </h2>
            <ul class="grid gap-2 sm:grid-cols-2">
                {BuiltinNoteType::ALL
                    .into_iter()
                    .map(|builtin| {
                        let shape = builtin.shape();
                        view! {
                            <li class="panel text-sm">
                                <p class="font-semibold">{builtin.name()}</p>
                                <p class="text-slate-600 dark:text-slate-400">
                                    {format!("Fields: {}", shape.fields.join(", "))}
                                </p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
