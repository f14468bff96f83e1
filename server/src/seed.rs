//! The demo that `make run` serves: a teacher with a Spanish deck and a
//! published chemistry course (formulas, an image, code and clozes), a
//! learner with a private deck, and an admin. Created once; later starts
//! leave existing data alone.

use anyhow::Result;
use app::{
    auth::{db as accounts, password, DisplayName, Email, Password, Role},
    content::render_markdown,
    courses::{
        db::{self as courses},
        CourseLevel, CourseStatus, ValidCourse,
    },
    decks::{db as decks, ValidDeck, Visibility},
    media::store::MediaStore,
    note_types::builtin::BuiltinNoteType,
    notes::db as notes,
};
use sqlx::PgPool;

pub struct DemoLogin {
    pub role: Role,
    pub email: &'static str,
    pub password: &'static str,
}

/// Demo credentials are public on purpose: they only ever guard demo data.
/// The first two own the demo decks, in the order of `DEMO_DECKS`. The admin
/// is not `admin@engram.test`, which `make test` creates with its own password.
pub const DEMO_LOGINS: [DemoLogin; 3] = [
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
    DemoLogin {
        role: Role::Admin,
        email: "demo-admin@engram.test",
        password: "engram-admin",
    },
];

const DEMO_ADMIN_NAME: &str = "Ada Admin";

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

/// Creates the demo accounts, decks and course unless they exist. Returns
/// whether anything was created.
pub async fn seed_demo(pool: &PgPool, media: &MediaStore) -> Result<bool> {
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
    for (index, login) in DEMO_LOGINS.iter().enumerate() {
        let deck = DEMO_DECKS.get(index);
        let name = deck.map_or(DEMO_ADMIN_NAME, |deck| deck.owner_name);
        let email = Email::parse(login.email).map_err(anyhow::Error::msg)?;
        let name = DisplayName::parse(name).map_err(anyhow::Error::msg)?;
        let password = Password::parse(login.password).map_err(anyhow::Error::msg)?;
        let hash = password::hash_password(&password).await?;
        accounts_to_create.push((login, deck, email, name, hash));
    }
    let mut tx = pool.begin().await?;
    let mut teacher_id = None;
    for (login, deck, email, name, hash) in accounts_to_create {
        let user = accounts::upsert_account_with_role(&mut *tx, &email, &name, &hash, login.role).await?;
        if login.role == Role::Teacher {
            teacher_id = Some(user.id);
        }
        let Some(deck) = deck else {
            continue;
        };
        let deck_id = decks::create_deck(
            &mut *tx,
            user.id,
            &ValidDeck {
                title: deck.title.to_owned(),
                description: deck.description.to_owned(),
                language: deck.language.to_owned(),
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
    if let Some(teacher_id) = teacher_id {
        seed_chemistry_course(pool, media, teacher_id).await?;
    }
    Ok(true)
}

/// A drawing of a water molecule, for the demo's image card and cover.
const WATER_MOLECULE_PNG: &[u8] = include_bytes!("demo/water-molecule.png");

/// The teacher's published course: two lessons, each with a deck of rich
/// cards, all written through the same rendering as the editor.
async fn seed_chemistry_course(pool: &PgPool, media: &MediaStore, teacher_id: uuid::Uuid) -> Result<()> {
    let picture = media
        .save(pool, teacher_id, WATER_MOLECULE_PNG.to_vec())
        .await
        .map_err(|error| anyhow::anyhow!("storing the demo image: {error}"))?;
    let water_image = picture.embed("A water molecule");
    let atoms: Vec<(BuiltinNoteType, [String; 2], &[&str])> = vec![
        (
            BuiltinNoteType::Cloze,
            [
                "Water is {{c1::$H_2O$::formula}}: two {{c2::hydrogen}} atoms and one {{c3::oxygen}} atom."
                    .into(),
                water_image.clone(),
            ],
            &["molecules"],
        ),
        (
            BuiltinNoteType::Basic,
            [
                format!("Which molecule is this?\n\n{water_image}"),
                "**Water**, $H_2O$, bent at about 104.5°.".into(),
            ],
            &["molecules", "pictures"],
        ),
        (
            BuiltinNoteType::BasicReversed,
            [
                "Avogadro's number".into(),
                "$N_A \\approx 6.022 \\times 10^{23}\\,\\mathrm{mol^{-1}}$".into(),
            ],
            &["constants"],
        ),
        (
            BuiltinNoteType::TypeAnswer,
            ["The chemical symbol for sodium".into(), "Na".into()],
            &["elements"],
        ),
    ];
    let reactions: Vec<(BuiltinNoteType, [String; 2], &[&str])> = vec![
        (
            BuiltinNoteType::Basic,
            [
                "The ideal gas law".into(),
                "$$PV = nRT$$\n\nwhere $R \\approx 8.314\\,\\mathrm{J\\,mol^{-1}\\,K^{-1}}$.".into(),
            ],
            &["gases"],
        ),
        (
            BuiltinNoteType::Cloze,
            [
                "Burning methane: $CH_4 + 2\\,O_2 \\rightarrow$ {{c1::$CO_2 + 2\\,H_2O$::products}}".into(),
                "Count the atoms: both sides have one C, four H and four O.".into(),
            ],
            &["reactions"],
        ),
        (
            BuiltinNoteType::Basic,
            [
                "How do you compute the molar mass of water in Python?".into(),
                "```python\natomic_mass = {\"H\": 1.008, \"O\": 15.999}\nmolar_mass = 2 * atomic_mass[\"H\"] + atomic_mass[\"O\"]\nprint(f\"{molar_mass:.3f} g/mol\")  # 18.015 g/mol\n```".into(),
            ],
            &["code"],
        ),
    ];
    let atoms_deck = seed_deck(
        pool,
        teacher_id,
        "Chemistry: atoms and molecules",
        "Elements, formulas and constants for a first chemistry course.",
        &atoms,
    )
    .await?;
    let reactions_deck = seed_deck(
        pool,
        teacher_id,
        "Chemistry: reactions and gases",
        "Balancing equations, the gas laws, and a little code.",
        &reactions,
    )
    .await?;

    let (course_id, _) = courses::create_course(
        pool,
        teacher_id,
        &ValidCourse {
            slug: "chemistry-essentials".to_owned(),
            slug_from_title: false,
            title: "Chemistry essentials".to_owned(),
            description: "From atoms to reactions in two short lessons, with flashcards for every formula."
                .to_owned(),
            category: "Science".to_owned(),
            level: CourseLevel::Beginner,
            language: "en".to_owned(),
        },
    )
    .await?;
    courses::set_cover(pool, course_id, Some(&picture.sha256)).await?;
    let lessons = [
        (
            "Atoms and molecules",
            "Everything is made of **atoms**. Atoms bond into *molecules*: water, $H_2O$, is two hydrogen atoms \
             bound to one oxygen atom.\n\nStudy the deck below until the formulas come to you without thinking.",
            atoms_deck,
        ),
        (
            "Reactions and gases",
            "A reaction rearranges atoms; none appear or vanish, so equations must **balance**.\n\n\
             The ideal gas law ties pressure, volume and temperature together:\n\n$$PV = nRT$$",
            reactions_deck,
        ),
    ];
    for (title, body, deck_id) in lessons {
        let lesson_id = courses::insert_lesson(pool, course_id, title).await?;
        let body_html = render_markdown(body).map_err(|error| anyhow::anyhow!(error.0))?;
        courses::update_lesson(pool, lesson_id, title, body, &body_html).await?;
        courses::attach_deck(pool, lesson_id, deck_id).await?;
    }
    courses::change_status(pool, course_id, CourseStatus::Published).await?;
    Ok(())
}

async fn seed_deck(
    pool: &PgPool,
    owner_id: uuid::Uuid,
    title: &str,
    description: &str,
    deck_notes: &[(BuiltinNoteType, [String; 2], &[&str])],
) -> Result<uuid::Uuid> {
    let mut tx = pool.begin().await?;
    let deck_id = decks::create_deck(
        &mut *tx,
        owner_id,
        &ValidDeck {
            title: title.to_owned(),
            description: description.to_owned(),
            language: "en".to_owned(),
            visibility: Visibility::Public,
            parent_id: None,
        },
    )
    .await?;
    for (note_type, fields, tags) in deck_notes {
        let tags: Vec<String> = tags.iter().map(|tag| (*tag).to_owned()).collect();
        let cards = app::notes::render_cards(*note_type, fields)?;
        notes::insert_note(&mut tx, deck_id, *note_type, fields, &tags, &cards).await?;
    }
    tx.commit().await?;
    Ok(deck_id)
}
