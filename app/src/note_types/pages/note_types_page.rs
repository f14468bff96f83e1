use super::builtin_types::BuiltinTypes;
use super::new_note_type_form::NewNoteTypeForm;
use super::own_note_type::OwnNoteType;
use crate::note_types::api::{list_note_types, CreateNoteType};
use crate::note_types::{NoteTypeInput, NOTE_TYPE_SAVED};
use crate::routes;
use crate::ui::FormAction;
use crate::ui::{PageTitle, SessionEnded};
use crate::{
    auth::{pages::use_auth, Role},
    error::AppError,
    ui::ErrorNotice,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

#[component]
pub fn NoteTypesPage() -> impl IntoView {
    let create = FormAction::<CreateNoteType>::new();
    // Bumped when a type is created, saved or deleted; not after a refused
    // save, so the form keeps what was typed.
    let refresh = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(create.value().get(), Some(Ok(_))) {
            refresh.update(|count| *count += 1);
        }
    });
    let types = crate::ui::page_data(move || refresh.get(), |_| list_note_types());
    let auth = use_auth();
    // After a plain form post, the address names the type whose form was
    // sent (`editing`), with what was typed beside a refusal
    // (`NoteTypeInput::typed_pairs`), or says that a type saved.
    let sent = use_query_map().with_untracked(|query| SentForm {
        editing: query.get("editing").and_then(|id| id.parse().ok()),
        typed: query
            .get("__err")
            .and_then(|_| NoteTypeInput::from_typed(|name| query.get(name)))
            .map(|(_, input)| input),
        saved: query.get(routes::SAVED).as_deref() == Some(NOTE_TYPE_SAVED),
    });
    let last_saved = RwSignal::new(sent.editing.filter(|_| sent.saved));
    view! {
        <PageTitle text="Note types · Engram" />
        <h1 class="mb-2 text-2xl font-bold tracking-tight sm:text-3xl">"Note types"</h1>
        <p class="mb-6 max-w-2xl text-slate-600 dark:text-slate-400">
            "A note type names a note's fields and says which cards it makes. Templates show fields with "
            <code>"{{Field}}"</code> ", the front on the back with " <code>"{{FrontSide}}"</code>
            ", an answer box with " <code>"{{type:Field}}"</code> " and cloze deletions with "
            <code>"{{cloze:Field}}"</code> "."
        </p>
        <Transition
            strict=true
            fallback=|| {
                view! { <p class="text-slate-500 dark:text-slate-400">"Loading note types…"</p> }
            }
        >
            {move || {
                let sent = sent.clone();
                Suspend::new(async move {
                    let is_teacher = matches!(auth.user.await, Ok(Some(user)) if user.role >= Role::Teacher);
                    match types.await {
                        Ok(types) => {
                            view! {
                                <BuiltinTypes />
                                <section aria-labelledby="own-types-heading" class="mb-8">
                                    <h2 id="own-types-heading" class="mb-3 text-lg font-semibold">
                                        "Your note types"
                                    </h2>
                                    {if types.is_empty() {
                                        view! {
                                            <p class="rounded-xl border border-dashed border-slate-300 p-6 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
                                                {if is_teacher {
                                                    "You have no note types of your own yet. Define one below."
                                                } else {
                                                    "Teachers can define their own note types; you can write notes with the built-in ones."
                                                }}
                                            </p>
                                        }
                                            .into_any()
                                    } else {
                                        view! {
                                            <ul class="space-y-3" data-testid="own-note-types">
                                                {types
                                                    .into_iter()
                                                    .map(|note_type| {
                                                        let sent = sent.for_type(note_type.id);
                                                        view! { <OwnNoteType note_type refresh last_saved sent /> }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                </section>
                                {is_teacher
                                    .then(|| {
                                        let typed = sent.for_new_type();
                                        view! { <NewNoteTypeForm create typed /> }
                                    })}
                            }
                                .into_any()
                        }
                        Err(AppError::Unauthenticated) => view! { <SessionEnded /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// What the page's address says of a form posted without JavaScript.
#[derive(Clone)]
struct SentForm {
    /// The type whose form was sent; none for the new-type form.
    editing: Option<Uuid>,
    /// What was typed, when the server refused it.
    typed: Option<NoteTypeInput>,
    /// Whether the type `editing` names saved.
    saved: bool,
}

impl SentForm {
    /// What concerns the form of the type `id`.
    fn for_type(&self, id: Uuid) -> SentToType {
        if self.editing != Some(id) {
            return SentToType::default();
        }
        SentToType {
            sent_here: true,
            typed: self.typed.clone(),
        }
    }

    /// What was typed into the new-type form, when it was the one refused.
    fn for_new_type(&self) -> Option<NoteTypeInput> {
        self.editing.is_none().then(|| self.typed.clone()).flatten()
    }
}

/// What the address says of one type's form: whether it was the form sent
/// (so the error the address holds is its own), and what was typed into it.
#[derive(Clone, Default)]
pub(crate) struct SentToType {
    pub sent_here: bool,
    pub typed: Option<NoteTypeInput>,
}
