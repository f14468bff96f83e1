//! The demo that `make run` serves: a teacher and a learner, each with a
//! small deck. Created once; later starts leave existing data alone.

use anyhow::Result;
use app::{
    auth::{db as accounts, password, DisplayName, Email, Password, Role},
    decks::{db as decks, Visibility},
    notes::{builtin::BuiltinNoteType, db as notes},
};
use sqlx::PgPool;

pub struct DemoLogin {
    pub role: Role,
    pub email: &'static str,
    pub password: &'static str,
}

/// Demo credentials are public on purpose: they only ever guard demo data.
pub const DEMO_LOGINS: [DemoLogin; 2] = [
    DemoLogin {
        role: Role::Teacher,
        email: "teacher@engram.test",
        password: "engram-teacher",
    },
    DemoLogin {
        role: Role::Learner,
        email: "learner@engram.test",
        password: "engram-learner",
    },
];

struct DemoNote {
    note_type: BuiltinNoteType,
    /// Every built-in note type has two fields.
    fields: [&'static str; 2],
    tags: &'static [&'static str],
}

struct DemoDeck {
    owner_name: &'static str,
    title: &'static str,
    description: &'static str,
    visibility: Visibility,
    language: &'static str,
    notes: &'static [DemoNote],
}

const fn basic(front: &'static str, back: &'static str) -> DemoNote {
    DemoNote {
        note_type: BuiltinNoteType::Basic,
        fields: [front, back],
        tags: &[],
    }
}

const DEMO_DECKS: [DemoDeck; 2] = [
    DemoDeck {
        owner_name: "Tomás Teacher",
        title: "Spanish: first words",
        description: "Greetings and everyday words for a first Spanish lesson.",
        visibility: Visibility::Public,
        language: "es",
        notes: &[
            DemoNote {
                note_type: BuiltinNoteType::BasicReversed,
                fields: ["hello", "**hola**"],
                tags: &["greetings"],
            },
            DemoNote {
                note_type: BuiltinNoteType::BasicReversed,
                fields: ["goodbye", "**adiós**"],
                tags: &["greetings"],
            },
            basic("please", "por favor"),
            basic("thank you", "gracias"),
            basic("water", "el agua"),
            DemoNote {
                note_type: BuiltinNoteType::Cloze,
                fields: [
                    "*{{c1::Buenos días}}* means “good morning”.",
                    "Used until about noon.",
                ],
                tags: &["greetings"],
            },
            DemoNote {
                note_type: BuiltinNoteType::TypeAnswer,
                fields: ["Type the Spanish for *friend* (to a man).", "el amigo"],
                tags: &[],
            },
        ],
    },
    DemoDeck {
        owner_name: "Lena Learner",
        title: "Physics and code",
        description: "Formulas and snippets worth remembering.",
        visibility: Visibility::Private,
        language: "en",
        notes: &[
            DemoNote {
                note_type: BuiltinNoteType::Cloze,
                fields: ["Mass–energy equivalence: {{c1::$E = mc^2$}}", "Einstein, 1905."],
                tags: &["physics"],
            },
            basic(
                "The quadratic formula",
                "$$x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}$$",
            ),
            basic(
                "How do you read a line from standard input in Rust?",
                "```rust\nlet mut line = String::new();\nstd::io::stdin().read_line(&mut line)?;\n```",
            ),
            basic("Capital of Australia?", "Canberra"),
        ],
    },
];

/// Creates the demo accounts and decks unless they exist. Returns whether
/// anything was created.
pub async fn seed_demo(pool: &PgPool) -> Result<bool> {
    // Any demo email already taken means the demo exists or someone owns
    // that address: either way, leave every account alone.
    let demo_emails: Vec<&str> = DEMO_LOGINS.iter().map(|login| login.email).collect();
    let already_seeded: bool =
        sqlx::query_scalar("select exists (select 1 from users where email = any($1))")
            .bind(&demo_emails)
            .fetch_one(pool)
            .await?;
    if already_seeded {
        return Ok(false);
    }
    // Hash first: no connection is held while the slow hashes run.
    let mut accounts_to_create = Vec::new();
    for (login, deck) in DEMO_LOGINS.iter().zip(&DEMO_DECKS) {
        let email = Email::parse(login.email).map_err(anyhow::Error::msg)?;
        let name = DisplayName::parse(deck.owner_name).map_err(anyhow::Error::msg)?;
        let password = Password::parse(login.password).map_err(anyhow::Error::msg)?;
        let hash = password::hash_password(&password).await?;
        accounts_to_create.push((login, deck, email, name, hash));
    }
    let mut tx = pool.begin().await?;
    for (login, deck, email, name, hash) in accounts_to_create {
        let user = accounts::upsert_account_with_role(&mut *tx, &email, &name, &hash, login.role).await?;
        let deck_id = decks::create_deck(
            &mut *tx,
            user.id,
            &decks::DeckFields {
                title: deck.title,
                description: deck.description,
                language: deck.language,
                visibility: deck.visibility,
                parent_id: None,
            },
        )
        .await?;
        for note in deck.notes {
            let fields: Vec<String> = note.fields.iter().map(|field| (*field).to_owned()).collect();
            let tags: Vec<String> = note.tags.iter().map(|tag| (*tag).to_owned()).collect();
            let cards = app::notes::render_cards(note.note_type, &fields)?;
            notes::insert_note(&mut tx, deck_id, note.note_type, &fields, &tags, &cards).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}
