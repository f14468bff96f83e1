//! Every internal address, built in one place. A page links with
//! `routes::deck(id)`, never with a hand-formatted string, so a renamed route
//! is one change and a query value is always encoded.

use leptos::{prelude::*, Params};
use leptos_router::{hooks::use_params, params::Params};
use uuid::Uuid;

pub const HOME: &str = "/";
pub const LOGIN: &str = "/login";
pub const REGISTER: &str = "/register";
/// Where someone who forgot their password asks for a link by email.
pub const FORGOT_PASSWORD: &str = "/forgot-password";
/// Where that link leads, with its token in the query.
pub const RESET_PASSWORD: &str = "/reset-password";
/// Where the link that confirms an account's new address leads, with its
/// token in the query.
pub const CONFIRM_EMAIL: &str = "/confirm-email";
pub const DASHBOARD: &str = "/dashboard";
pub const BROWSE: &str = "/browse";
pub const CATALOGUE: &str = "/catalogue";
pub const NOTE_TYPES: &str = "/note-types";
pub const NEW_DECK: &str = "/decks/new";
pub const NEW_COURSE: &str = "/courses/new";
pub const ADMIN: &str = "/admin";
pub const STATS: &str = "/stats";
pub const SETTINGS: &str = "/settings";

/// What every deck page's address starts with.
const DECK_PREFIX: &str = "/decks/";
/// What every course page's address starts with.
const COURSE_PREFIX: &str = "/courses/";

pub fn deck(deck_id: Uuid) -> String {
    format!("{DECK_PREFIX}{deck_id}")
}

/// The new-deck page with its form filled in with `input`, as a plain form
/// post that failed comes back to it (`NewDeckPage` reads it).
pub fn new_deck_filled_in(input: &crate::decks::DeckInput) -> String {
    with_query(NEW_DECK, &deck_settings_typed(input))
}

/// A deck's page with its "Edit deck" form filled in with `input`, as a
/// plain form post that failed comes back to it (`EditDeckForm` reads it,
/// beside the error).
pub fn deck_settings_filled_in(deck_id: Uuid, input: &crate::decks::DeckInput) -> String {
    with_query(&deck(deck_id), &deck_settings_typed(input))
}

/// The note-types page with `typed` in its address: what a note type's form
/// sent (`NoteTypeInput::typed_pairs`), as a plain form post comes back to it.
pub fn note_types_filled_in(typed: &[(String, String)]) -> String {
    let pairs: Vec<(&str, &str)> = typed
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    with_query(NOTE_TYPES, &pairs)
}

/// The query parameters that carry what was typed into a deck's settings.
pub const DECK_SETTINGS_TYPED: [&str; 4] = ["title", "description", "language", "visibility"];

/// The query parameters that carry what was typed into a course's settings.
pub const COURSE_SETTINGS_TYPED: [&str; 6] =
    ["title", "description", "category", "level", "language", "slug"];

/// `page` (the new-course page, or a course's page) with its course settings
/// form filled in with `input`, as a plain form post that failed comes back
/// to it (`CourseSettingsFields` reads it, beside the error).
pub fn course_settings_filled_in(page: &str, input: &crate::courses::CourseInput) -> String {
    let [title, description, category, level, language, slug] = COURSE_SETTINGS_TYPED;
    with_query(
        page,
        &[
            (title, &input.title),
            (description, &input.description),
            (category, &input.category),
            (level, input.level.as_str()),
            (language, &input.language),
            (slug, &input.slug),
        ],
    )
}

fn deck_settings_typed(input: &crate::decks::DeckInput) -> [(&'static str, &str); 4] {
    let [title, description, language, visibility] = DECK_SETTINGS_TYPED;
    [
        (title, &input.title),
        (description, &input.description),
        (language, &input.language),
        (visibility, input.visibility.as_str()),
    ]
}

/// The note editor for a new note in `deck_id`.
pub fn add_note(deck_id: Uuid) -> String {
    format!("{DECK_PREFIX}{deck_id}/add")
}

/// The note editor for a new note of one type.
pub fn add_note_of_type(deck_id: Uuid, note_type_key: &str) -> String {
    with_query(&add_note(deck_id), &[("type", note_type_key)])
}

/// Whether `path` is a page that a signed-out visitor can read in full
/// without the app's code: the home page, log in, sign up, the catalogue, a
/// deck and a course (see `page_runs_app_code` in `lib.rs`). The catalogue's
/// suggestions come from a script of their own, public/catalogue-search.js.
pub fn is_read_without_code(path: &str) -> bool {
    let one_segment_under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
    };
    matches!(
        path,
        HOME | LOGIN | REGISTER | FORGOT_PASSWORD | RESET_PASSWORD | CONFIRM_EMAIL | CATALOGUE
    ) || (one_segment_under(DECK_PREFIX) && path != NEW_DECK)
        || (one_segment_under(COURSE_PREFIX) && path != NEW_COURSE)
}

/// The page a password-reset link opens. The token is in the query rather
/// than the path, so that the request log, which records paths, never holds it.
pub fn reset_password(token: &str) -> String {
    with_query(RESET_PASSWORD, &[("token", token)])
}

/// The page a link that confirms a new address opens (its token in the
/// query, as for [`reset_password`]).
pub fn confirm_email(token: &str) -> String {
    with_query(CONFIRM_EMAIL, &[("token", token)])
}

/// That page once the address has moved: the address says so with fixed
/// text, since anyone can write an address.
pub fn email_confirmed() -> String {
    with_query(CONFIRM_EMAIL, &[(crate::auth::EMAIL_CONFIRMED, "1")])
}

/// The forgotten-password page, saying that the link is on its way, with
/// the address it was asked for still in its form.
pub fn reset_link_sent(email: &str) -> String {
    let email = email.trim();
    match email.len() <= crate::auth::Email::MAX_LENGTH {
        true => with_query(
            FORGOT_PASSWORD,
            &[(crate::auth::RESET_LINK_SENT, "1"), ("email", email)],
        ),
        false => with_query(FORGOT_PASSWORD, &[(crate::auth::RESET_LINK_SENT, "1")]),
    }
}

/// The forgotten-password page with an address filled in: the one a
/// refused login or reset request was sent with.
pub fn forgot_password_for(email: &str) -> String {
    match email.trim() {
        "" => FORGOT_PASSWORD.to_owned(),
        email => with_query(FORGOT_PASSWORD, &[("email", email)]),
    }
}

/// The login page, which sends the visitor on to `next` once they are in.
pub fn login_then(next: &str) -> String {
    with_next(LOGIN, next)
}

/// The sign-up page, which sends the new learner on to `next`.
pub fn register_then(next: &str) -> String {
    with_next(REGISTER, next)
}

/// `form` with `next` in its query, unless `next` is where a sign-in goes
/// anyway: the dashboard's login address stays plain `/login`.
fn with_next(form: &str, next: &str) -> String {
    match next == after_sign_in(None) {
        true => form.to_owned(),
        false => with_query(form, &[("next", next)]),
    }
}

/// Where someone goes once they have logged in or signed up: the page they
/// were asked to sign in for, or else their dashboard. `next` comes from the
/// address, which anyone can write into a link, so only a path on this site
/// is followed: never another origin (`https://…`, `//host`, or `/\host`,
/// which browsers read as `//host`), and never the login and sign-up pages
/// themselves or the API.
pub fn after_sign_in(next: Option<&str>) -> &str {
    next.filter(|next| is_page_to_return_to(next))
        .unwrap_or(DASHBOARD)
}

pub(crate) fn is_page_to_return_to(next: &str) -> bool {
    const LONGEST: usize = 2048;
    let path = next.split(['?', '#']).next().unwrap_or_default();
    next.len() <= LONGEST
        && next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && !matches!(path, LOGIN | REGISTER | FORGOT_PASSWORD | RESET_PASSWORD)
        && !path.starts_with("/api/")
}

/// What every study page's address starts with.
pub const STUDY_PREFIX: &str = "/study/";

/// The study session of a deck (with its subdecks).
pub fn study(deck_id: Uuid) -> String {
    format!("{STUDY_PREFIX}{deck_id}")
}

/// The study page showing the back of `card_id` (the page without
/// JavaScript reveals the answer by loading this address), still offering
/// to undo what `undoable` names: the `undo`, or `held` and `hold`, of the
/// page it was shown from, so that the last rating can be taken back from
/// the next card's answer too.
pub fn study_answer_shown(deck_id: Uuid, card_id: Uuid, undoable: &[(&str, &str)]) -> String {
    let card_id = card_id.to_string();
    let mut query = vec![("show", card_id.as_str())];
    query.extend_from_slice(undoable);
    with_query(&study(deck_id), &query)
}

/// The study page after a rating posted without JavaScript, offering to
/// undo it.
pub fn study_after_rating(deck_id: Uuid, review_id: Uuid) -> String {
    with_query(&study(deck_id), &[("undo", &review_id.to_string())])
}

/// The study page after a card was buried or suspended without JavaScript,
/// offering to take the hold back.
pub fn study_after_hold(deck_id: Uuid, card_id: Uuid, hold: crate::study::CardHold) -> String {
    with_query(
        &study(deck_id),
        &[("held", &card_id.to_string()), ("hold", hold.name())],
    )
}

/// The statistics of one deck the learner studies (with its subdecks).
pub fn deck_stats(deck_id: Uuid) -> String {
    with_query(STATS, &[("deck", &deck_id.to_string())])
}

pub fn edit_note(note_id: Uuid) -> String {
    format!("/notes/{note_id}/edit")
}

pub fn course(slug: &str) -> String {
    format!("{COURSE_PREFIX}{slug}")
}

pub fn lesson(slug: &str, lesson_id: Uuid) -> String {
    format!("{COURSE_PREFIX}{slug}/lessons/{lesson_id}")
}

/// A stored file, addressed by its content hash.
pub fn media(sha256: &str) -> String {
    format!("/media/{sha256}")
}

/// The admin's account list, filtered by `search` and starting after the
/// account with email `after`.
pub fn admin_accounts(search: &str, after: Option<&str>) -> String {
    let mut query = vec![("q", search)];
    query.extend(after.map(|after| ("after", after)));
    with_query(ADMIN, &query)
}

/// The admin's account list showing the account whose role was just
/// changed, and saying so.
pub fn admin_account_changed(email: &str, user_id: Uuid) -> String {
    with_query(ADMIN, &[("q", email), ("changed", &user_id.to_string())])
}

/// The parameters of `/decks/:id` and `/notes/:id/edit`.
#[derive(Params, Clone, PartialEq)]
pub struct IdParams {
    pub id: Option<Uuid>,
}

/// The parameters of `/courses/:slug` and `/courses/:slug/lessons/:lesson_id`.
#[derive(Params, Clone, PartialEq)]
pub struct CourseParams {
    pub slug: Option<String>,
    pub lesson_id: Option<Uuid>,
}

/// The current route's `:id`, or `None` when the address holds no valid id
/// (the page then says it is not found).
pub fn id_param() -> Memo<Option<Uuid>> {
    let params = use_params::<IdParams>();
    Memo::new(move |_| params.read().as_ref().ok().and_then(|params| params.id))
}

/// The current course route's parameters; an unreadable address reads as
/// empty, which no course or lesson matches.
pub fn course_params() -> Memo<CourseParams> {
    let params = use_params::<CourseParams>();
    Memo::new(move |_| {
        params.get().unwrap_or(CourseParams {
            slug: None,
            lesson_id: None,
        })
    })
}

/// `path` with `pairs` as its query string, each value form-encoded.
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{path}?{query}")
}

/// The query parameter that tells a page, loaded after one of its forms was
/// posted without JavaScript and saved, which form it was: the hydrated app
/// shows "Saved." from the action's answer, and such a page has only its
/// address to go by.
pub const SAVED: &str = "saved";

/// `page` (a path with an optional query) saying that its form `form` saved,
/// in place of anything an earlier save said: another form's "Saved.", or
/// the error of a save that failed (which Leptos writes in `__path` and
/// `__err`) with what was typed into it, or the word that what was typed
/// waited in the session (`unsaved`), and for which form.
pub fn saying_saved(page: &str, form: &str) -> String {
    let typed = DECK_SETTINGS_TYPED.into_iter().chain(COURSE_SETTINGS_TYPED);
    let waiting = [
        crate::unsaved::WAITING_PARAMETER,
        crate::unsaved::ACCOUNT_FORM_PARAMETER,
    ];
    let dropped: Vec<&str> = [SAVED, "__path", "__err"]
        .into_iter()
        .chain(typed)
        .chain(waiting)
        .collect();
    let (path, mut kept) = query_without(page, &dropped);
    kept.push((SAVED.to_owned(), form.to_owned()));
    let pairs: Vec<(&str, &str)> = kept
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    with_query(path, &pairs)
}

/// `address` without an earlier form's "Saved.": where a plain form post
/// goes back to when it did not save a form itself.
pub fn without_saved_notice(address: &str) -> String {
    let (path, kept) = query_without(address, &[SAVED]);
    let pairs: Vec<(&str, &str)> = kept
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    with_query(path, &pairs)
}

/// `address` split into what comes before its query and the query's pairs
/// other than `dropped`.
fn query_without<'a>(address: &'a str, dropped: &[&str]) -> (&'a str, Vec<(String, String)>) {
    let (path, query) = address.split_once('?').unwrap_or((address, ""));
    let kept = form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| !dropped.contains(&name.as_ref()))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    (path, kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_shown_without_javascript_keeps_what_can_be_undone() {
        let (deck, card, review) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        assert_eq!(
            study_answer_shown(deck, card, &[]),
            format!("/study/{deck}?show={card}")
        );
        assert_eq!(
            study_answer_shown(deck, card, &[("undo", &review.to_string())]),
            format!("/study/{deck}?show={card}&undo={review}")
        );
    }

    #[test]
    fn a_saved_page_keeps_its_query_and_says_only_the_last_save() {
        assert_eq!(
            saying_saved("/settings", "study-days"),
            "/settings?saved=study-days"
        );
        assert_eq!(
            saying_saved("/decks/1?from=%2Fcourses%2Fa&saved=deck", "study-options"),
            "/decks/1?from=%2Fcourses%2Fa&saved=study-options"
        );
        assert_eq!(
            saying_saved("/decks/1?__path=%2Fapi%2Fdecks%2Fupdate&__err=e30%3D", "deck"),
            "/decks/1?saved=deck"
        );
        // A save after a refusal whose text waited in the session.
        assert_eq!(
            saying_saved("/settings?form=name&unsaved=1", "name"),
            "/settings?saved=name"
        );
        // A form's error stays; only the other form's "Saved." goes.
        assert_eq!(
            without_saved_notice("http://engram.test/courses/a?saved=course&from=x&__err=e30%3D"),
            "http://engram.test/courses/a?from=x&__err=e30%3D"
        );
        assert_eq!(without_saved_notice("/courses/a?saved=course"), "/courses/a");
        assert_eq!(without_saved_notice("/decks/a?"), "/decks/a");
    }

    #[test]
    fn the_pages_read_without_code_are_the_signed_out_visitors_documents() {
        let deck_id = Uuid::nil();
        for path in [
            HOME,
            LOGIN,
            REGISTER,
            FORGOT_PASSWORD,
            RESET_PASSWORD,
            CONFIRM_EMAIL,
            CATALOGUE,
            &deck(deck_id),
            &course("chemistry-essentials"),
        ] {
            assert!(is_read_without_code(path), "{path}");
        }
        let lesson = lesson("chemistry-essentials", deck_id);
        for path in [
            DASHBOARD,
            NEW_DECK,
            NEW_COURSE,
            &add_note(deck_id),
            &lesson,
            &study(deck_id),
            "/decks/",
            "/login/x",
        ] {
            assert!(!is_read_without_code(path), "{path}");
        }
    }

    #[test]
    fn a_sign_in_returns_only_to_a_page_of_this_site() {
        let course = course("chemistry-essentials");
        assert_eq!(
            login_then(&course),
            "/login?next=%2Fcourses%2Fchemistry-essentials"
        );
        assert_eq!(after_sign_in(Some(&course)), course);
        assert_eq!(after_sign_in(Some("/browse?q=is%3Adue")), "/browse?q=is%3Adue");
        for refused in [
            "",
            "dashboard",
            "https://elsewhere.example/",
            "//elsewhere.example/x",
            "/\\elsewhere.example/x",
            "/login",
            "/login?next=/x",
            "/register",
            "/forgot-password",
            "/reset-password?token=0",
            "/api/logout",
            "/decks/\n",
            &format!("/{}", "x".repeat(3000)),
        ] {
            assert_eq!(after_sign_in(Some(refused)), DASHBOARD, "{refused:?}");
        }
        assert_eq!(after_sign_in(None), DASHBOARD);
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            admin_accounts("ann & co@example.org", Some("a=b")),
            "/admin?q=ann+%26+co%40example.org&after=a%3Db"
        );
        assert_eq!(with_query(BROWSE, &[]), "/browse");
    }

    #[test]
    fn note_editor_addresses_name_the_deck_and_type() {
        let deck_id = Uuid::nil();
        assert_eq!(
            add_note_of_type(deck_id, "basic"),
            "/decks/00000000-0000-0000-0000-000000000000/add?type=basic"
        );
    }
}
