//! The demo that `make run` serves: a teacher and a learner, each with a
//! small deck. Created once; later starts leave existing data alone.

use anyhow::Result;
use app::auth::{db as accounts, password, DisplayName, Email, Password, Role};
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

struct DemoDeck {
    owner_name: &'static str,
    title: &'static str,
    description: &'static str,
    cards: &'static [(&'static str, &'static str)],
}

const DEMO_DECKS: [DemoDeck; 2] = [
    DemoDeck {
        owner_name: "Tomás Teacher",
        title: "Spanish: first words",
        description: "Greetings and everyday words for a first Spanish lesson.",
        cards: &[
            ("<p>hello</p>", "<p>hola</p>"),
            ("<p>goodbye</p>", "<p>adiós</p>"),
            ("<p>please</p>", "<p>por favor</p>"),
            ("<p>thank you</p>", "<p>gracias</p>"),
            ("<p>yes</p>", "<p>sí</p>"),
            ("<p>water</p>", "<p>el agua</p>"),
            ("<p>bread</p>", "<p>el pan</p>"),
            ("<p>friend</p>", "<p>el amigo / la amiga</p>"),
        ],
    },
    DemoDeck {
        owner_name: "Lena Learner",
        title: "World capitals",
        description: "Capital cities of the world, one country per card.",
        cards: &[
            ("<p>Capital of Japan?</p>", "<p>Tokyo</p>"),
            ("<p>Capital of Canada?</p>", "<p>Ottawa</p>"),
            ("<p>Capital of Australia?</p>", "<p>Canberra</p>"),
            ("<p>Capital of Kenya?</p>", "<p>Nairobi</p>"),
            ("<p>Capital of Peru?</p>", "<p>Lima</p>"),
            ("<p>Capital of Norway?</p>", "<p>Oslo</p>"),
        ],
    },
];

/// Creates the demo accounts and decks unless they exist. Returns whether
/// anything was created.
pub async fn seed_demo(pool: &PgPool) -> Result<bool> {
    let already_seeded: bool = sqlx::query_scalar("select exists (select 1 from users where email = $1)")
        .bind(DEMO_LOGINS[0].email)
        .fetch_one(pool)
        .await?;
    if already_seeded {
        return Ok(false);
    }
    for (login, deck) in DEMO_LOGINS.iter().zip(&DEMO_DECKS) {
        let email = Email::parse(login.email).map_err(anyhow::Error::msg)?;
        let name = DisplayName::parse(deck.owner_name).map_err(anyhow::Error::msg)?;
        let password = Password::parse(login.password).map_err(anyhow::Error::msg)?;
        let hash = password::hash_password(&password).await?;
        let mut tx = pool.begin().await?;
        let user = accounts::upsert_account_with_role(&mut *tx, &email, &name, &hash, login.role).await?;
        app::decks::db::create_deck_with_cards(&mut tx, user.id, deck.title, deck.description, deck.cards)
            .await?;
        tx.commit().await?;
    }
    Ok(true)
}
