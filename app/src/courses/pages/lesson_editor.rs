use super::common::LessonActions;
use crate::courses::{api::DeleteLesson, AttachableDeck};
use crate::routes;
use crate::ui::DeleteButton;
use crate::ui::{field_message, latest_save_error, FieldMessage, FormError};
use crate::ui::{saved_by, SaveRow};
use crate::ui::{FormAction, PostForm};
use crate::ui::{TextArea, TextLimit};
use crate::unsaved::UnsavedForm;
use leptos::prelude::*;
use uuid::Uuid;

/// The author's editor under a lesson: text, decks, order and deletion.
#[component]
pub(crate) fn LessonEditor(
    lesson_id: Uuid,
    title: String,
    body: String,
    /// What a refused edit without JavaScript kept: the form starts from it.
    unsaved: Option<UnsavedForm>,
    /// The author's decks not attached to this lesson yet.
    attachable_decks: Vec<AttachableDeck>,
    /// Whether every deck of the author's is attached already.
    every_deck_attached: bool,
    actions: LessonActions,
) -> impl IntoView {
    // Kept as two fields: the title, then the text.
    let (title, body, kept_error) =
        match unsaved.map(|kept| (<[String; 2]>::try_from(kept.fields), kept.error)) {
            Some((Ok([title, body]), error)) => (title, body, error),
            _ => (title, body, None),
        };
    let error = latest_save_error(
        Signal::derive(move || actions.update.value().get().and_then(Result::err)),
        actions.update.version().into(),
        kept_error,
    );
    let attach_error = Signal::derive(move || actions.attach.value().get().and_then(Result::err));
    let saved = saved_by(actions.update, crate::courses::LESSON_SAVED);
    let delete = FormAction::<DeleteLesson>::new();
    let (private_decks, shared_decks): (Vec<_>, Vec<_>) =
        attachable_decks.into_iter().partition(|deck| deck.private);
    let has_decks = !shared_decks.is_empty();
    let has_any_deck = has_decks || !private_decks.is_empty();
    view! {
        <section
            class="panel mt-10 space-y-6"
            aria-labelledby="lesson-editor-heading"
            data-testid="lesson-editor"
        >
            <h2 id="lesson-editor-heading" class="text-lg font-semibold">
                "Edit this lesson"
            </h2>
            <PostForm action=actions.update attr:class="space-y-3" attr:novalidate=true>
                <input type="hidden" name="lesson_id" value=lesson_id.to_string() />
                <FormError error />
                <div>
                    <label for="lesson-title" class="field-label">
                        "Title"
                    </label>
                    <input
                        id="lesson-title"
                        name="input[title]"
                        required
                        maxlength="200"
                        value=title
                        class="field-input"
                    />
                    <FieldMessage
                        message=Signal::derive(field_message(error, "title"))
                        id="lesson-title-message".to_owned()
                    />
                </div>
                <div>
                    <label for="lesson-body" class="field-label">
                        "Text"
                    </label>
                    <TextArea
                        id="lesson-body"
                        name="input[body]"
                        rows=12
                        class="field-input font-mono text-sm"
                        value=body
                        described_by="lesson-body-message"
                        limit=Some(TextLimit::Bytes(crate::courses::MAX_LESSON_BYTES))
                    />
                    <p class="mt-1 text-xs text-slate-500 dark:text-slate-400">
                        "Markdown, with $…$ and $$…$$ for formulas and ``` fences for code."
                    </p>
                    <FieldMessage
                        message=Signal::derive(field_message(error, "body"))
                        id="lesson-body-message".to_owned()
                    />
                </div>
                <SaveRow label="Save lesson" pending=actions.update.pending() saved />
            </PostForm>
            <PostForm action=actions.attach attr:class="space-y-1">
                <input type="hidden" name="lesson_id" value=lesson_id.to_string() />
                <label for="attach-deck" class="field-label">
                    "Attach a deck"
                </label>
                <div class="flex flex-col gap-2 sm:flex-row">
                    <select id="attach-deck" name="deck_id" class="field-input" disabled=!has_decks>
                        {shared_decks
                            .into_iter()
                            .map(|deck| view! { <option value=deck.id.to_string()>{deck.title}</option> })
                            .collect_view()}
                    </select>
                    <button
                        type="submit"
                        class="button-secondary"
                        disabled=move || !has_decks || actions.attach.pending().get()
                    >
                        "Attach"
                    </button>
                </div>
                <FieldMessage
                    message=Signal::derive(field_message(attach_error, "deck_id"))
                    id="attach-deck-message".to_owned()
                />
                {(!has_any_deck)
                    .then(|| {
                        let message = if every_deck_attached {
                            "Every deck of yours is attached to this lesson. Create another on your dashboard to attach it too."
                        } else {
                            "You have no decks yet. Create one on your dashboard, then attach it here."
                        };
                        view! { <p class="text-sm text-slate-600 dark:text-slate-400">{message}</p> }
                    })}
            </PostForm>
            {(!private_decks.is_empty())
                .then(|| {
                    view! {
                        <div data-testid="private-decks">
                            <p class="text-sm text-slate-600 dark:text-slate-400">
                                "Your private decks are not in the list: learners cannot open them. Unlisted decks open for anyone with the link and stay out of the catalogue."
                            </p>
                            <ul class="mt-2 space-y-2">
                                {private_decks
                                    .into_iter()
                                    .map(|deck| {
                                        view! {
                                            <li class="flex flex-wrap items-center justify-between gap-2">
                                                <a href=routes::deck(deck.id) class="text-link">
                                                    {deck.title}
                                                </a>
                                                <PostForm action=actions.attach>
                                                    <input
                                                        type="hidden"
                                                        name="lesson_id"
                                                        value=lesson_id.to_string()
                                                    />
                                                    <input
                                                        type="hidden"
                                                        name="deck_id"
                                                        value=deck.id.to_string()
                                                    />
                                                    <input type="hidden" name="make_unlisted" value="true" />
                                                    <button
                                                        type="submit"
                                                        class="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
                                                        disabled=move || actions.attach.pending().get()
                                                    >
                                                        "Make unlisted and attach"
                                                    </button>
                                                </PostForm>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })}
            <details>
                <summary class="cursor-pointer font-semibold text-red-700 dark:text-red-300">
                    "Delete lesson"
                </summary>
                <p class="mt-2 text-sm">
                    "Delete this lesson and learners' completion of it? The decks stay."
                </p>
                <PostForm action=delete attr:class="mt-3">
                    <input type="hidden" name="lesson_id" value=lesson_id.to_string() />
                    <DeleteButton label="Yes, delete it" pending=delete.pending() />
                </PostForm>
            </details>
        </section>
    }
}
